"""Identifiers for generated code: package, file, type and member names that Dart accepts."""

from __future__ import annotations

import re

from slugify import slugify

DART_RESERVED = frozenset(
    """abstract as assert async await base break case catch class const continue covariant default
    deferred do dynamic else enum export extends extension external factory false final finally for
    function get hide if implements import in interface is late library mixin new null of on operator
    part required rethrow return sealed set show static super switch sync this throw true try type
    typedef var void when while with yield""".split()
)

# Directory names the generated project itself uses; a feature called like one gets a suffix.
BUILT_IN_FEATURE_NAMES = frozenset(
    {"home", "app", "main", "settings_shell", "routing", "router", "routes", "config", "core",
     "utils", "ui", "data", "domain", "theme", "dependencies", "result", "services", "test", "lib",
     "flutter", "widgets"}
)

# Type names a generated model must not shadow: Dart core, Flutter and the declared packages.
RESERVED_TYPE_NAMES = frozenset(
    """Object String int double num bool List Map Set Iterable Iterator Duration DateTime Function
    Future Stream Type Symbol Null Record Enum Error Exception Pattern Match RegExp Uri Comparable Sink
    Timer Completer Zone Expando Invocation Widget State Element Key Text Icon Image Card Chip Title
    Table Page Form Field Action Intent Actions Border Color Size Offset Path Radius Rect Animation
    Curve Tab Step Badge Banner Checkbox Dialog Divider Drawer Flow Placeholder Scrollbar Slider Switch
    Theme Tooltip Visibility Notification Listener Stack Row Column Center Align Padding Container
    Expanded Flexible Wrap Spacer Positioned Opacity Transform Hero Semantics Overlay Navigator
    Scaffold Builder Route Router Provider Consumer Locator Marker Result Ok Client Response Request
    Transaction Query Filter Document User Session Factory Material App Home Main Category Event
    Settings Typography Locale Brightness Axis Alignment Decoration Shadow Gradient Velocity
    FirebaseApp Supabase LatLng""".split()
)

FALLBACK_PACKAGE = "flutter_app"


def words(text: str) -> list[str]:
    """Split any text (Unicode, emoji, camelCase) into lowercase ASCII words."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", re.sub(r"['\u2019]", "", text))
    slug = slugify(spaced, separator=" ", lowercase=True)
    return [w for w in re.split(r"[^a-z0-9]+", slug) if w]


def slug(text: str, fallback: str = "app") -> str:
    """A `[a-z0-9-]` slug for URLs and storage keys, never empty."""
    return "-".join(words(text)) or fallback


def snake_case(text: str, fallback: str = "item") -> str:
    """lower_snake_case, suitable for Dart file and directory names."""
    return "_".join(words(text)) or fallback


def upper_camel(text: str, fallback: str = "Item") -> str:
    """UpperCamelCase for Dart types; a leading digit gets a letter prefix."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    return f"N{name}" if name[0].isdigit() else name


def lower_camel(text: str, fallback: str = "value") -> str:
    """lowerCamelCase for Dart members, never a reserved word and never starting with a digit."""
    camel = upper_camel(text, fallback=fallback[:1].upper() + fallback[1:])
    name = camel[:1].lower() + camel[1:]
    if name[0].isdigit():
        name = f"n{name}"
    return f"{name}Value" if name in DART_RESERVED else name


def package_name(app_name: str) -> str:
    """A legal pub package name: lowercase_with_underscores, no leading digit, not reserved."""
    name = snake_case(app_name, fallback=FALLBACK_PACKAGE)
    if name[0].isdigit():
        name = f"app_{name}"
    if name in DART_RESERVED or name in {"flutter", "flutter_test", "test"}:
        name = f"{name}_app"
    return name[:64].rstrip("_")


def is_legal_package_name(name: str) -> bool:
    """Whether pub and Dart accept `name` as a package name."""
    return bool(re.fullmatch(r"[a-z][a-z0-9_]*", name)) and name not in DART_RESERVED


def feature_id(text: str) -> str:
    """A snake_case feature id that never collides with the project's own folders."""
    name = snake_case(text, fallback="feature")
    if name[0].isdigit():
        name = f"f_{name}"
    if name in BUILT_IN_FEATURE_NAMES or name in DART_RESERVED:
        name = f"{name}_feature"
    return name


def type_name(text: str) -> str:
    """An UpperCamel model name that shadows no Dart, Flutter or package type."""
    name = upper_camel(text)
    return f"{name}Record" if name in RESERVED_TYPE_NAMES else name


def plural(word: str) -> str:
    """English plural of one lowercase word, good enough for labels and paths."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return f"{word}es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return f"{word[:-1]}ies"
    return f"{word}s"


def singular(word: str) -> str:
    """English singular of one lowercase word."""
    if word.endswith("ies") and len(word) > 3:
        return f"{word[:-3]}y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
