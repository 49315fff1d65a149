"""Static analysis of a generated Flutter project: the findings QA, refactor and repair act on.

The pubspec is read with PyYAML (already installed as a dependency of chalice).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from chalicelib.flutter import dart_parser as dart
from chalicelib.flutter.naming import is_legal_package_name
from chalicelib.flutter.runtime_checks import entry_findings, route_table
from chalicelib.pipeline.context import Finding

if TYPE_CHECKING:
    from chalicelib.flutter.spec import ProductSpec

SDK_PACKAGES = frozenset(
    {"flutter", "flutter_test", "flutter_localizations", "flutter_driver", "flutter_web_plugins", "integration_test"}
)
DART_LIBRARIES = frozenset(
    {"async", "collection", "convert", "core", "developer", "ffi", "html", "io", "isolate", "js", "js_interop",
     "js_interop_unsafe", "js_util", "math", "mirrors", "typed_data", "ui", "ui_web"}
)
_DEV_ONLY_ROOTS = ("test/", "integration_test/", "tool/", "test_driver/")
_FILE_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.dart")
_TYPE_NAME = re.compile(r"_?\$?[A-Z][A-Za-z0-9]*")
_VERSION = r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?"
_CONSTRAINT = re.compile(rf"\^{_VERSION}|{_VERSION}|(?:[<>]=?\s*{_VERSION}\s*)+")
_TODO = re.compile(r"//.*\b(TODO|FIXME|XXX|HACK)\b")
_LOREM = re.compile(r"lorem ipsum", re.IGNORECASE)
_FLUTTER_ANALYZE_LINE = re.compile(
    r"^\s*(error|warning|info)\s+•\s+(.+?)\s+•\s+(.+?):(\d+):\d+\s+•\s+(\S+)\s*$"
)
_FLUTTER_FAILED_TEST = re.compile(r"(test/\S+?_test\.dart): (.+?) \[E\]")
FLUTTER_TIMEOUT_SECONDS = 600


@dataclass
class Pubspec:
    """What the analysis needs from pubspec.yaml: the package name and the declared packages."""

    name: str | None = None
    dependencies: set[str] = field(default_factory=set)
    dev_dependencies: set[str] = field(default_factory=set)


def _key_lines(text: str) -> dict[str, int]:
    """1-based lines of `key` and `section.key` entries, so pubspec findings point at the right line."""
    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[str(key.value)] = key.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for child_key, _ in value.value:
                lines[f"{key.value}.{child_key.value}"] = child_key.start_mark.line + 1
    return lines


def _dependency_findings(section: str, entries: object, lines: dict[str, int]) -> list[Finding]:
    """Every dependency must name a version constraint (or an SDK, path or git source)."""
    findings: list[Finding] = []
    if entries is None:
        return findings
    if not isinstance(entries, dict):
        return [Finding("pubspec.invalid", f"'{section}' must be a mapping of package names",
                        "error", "pubspec.yaml", lines.get(section))]
    for package, source in entries.items():
        line = lines.get(f"{section}.{package}")
        if isinstance(source, dict):
            if not {"sdk", "path", "git"} & set(source) and "version" not in source:
                findings.append(Finding("pubspec.constraint", f"{package} has no version constraint",
                                        "warning", "pubspec.yaml", line))
            continue
        constraint = "" if source is None else str(source).strip()
        if constraint in ("", "any"):
            findings.append(Finding("pubspec.constraint",
                                    f"{package} has no version constraint (use a caret range like ^1.2.0)",
                                    "warning", "pubspec.yaml", line))
        elif not _CONSTRAINT.fullmatch(constraint):
            findings.append(Finding("pubspec.constraint", f"{package}: '{constraint}' is not a version constraint",
                                    "error", "pubspec.yaml", line))
    return findings


def _sdk_supports_dart3(constraint: str) -> bool:
    """Whether an SDK constraint's lower bound is Dart 3 or later (null safety, records, patterns)."""
    lower = re.search(r"(?:\^|>=?)\s*(\d+)\.", constraint) or re.match(r"\s*(\d+)\.", constraint)
    return lower is not None and int(lower.group(1)) >= 3


def check_pubspec(files: dict[str, str]) -> tuple[Pubspec, list[Finding]]:
    """Parse pubspec.yaml for real and check its name, SDK constraint and dependency constraints."""
    text = files.get("pubspec.yaml")
    if text is None:
        return Pubspec(), [Finding("pubspec.invalid", "pubspec.yaml is missing", "error", "pubspec.yaml", 1)]
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return Pubspec(), [Finding("pubspec.invalid", f"pubspec.yaml is not valid YAML: {error}".splitlines()[0],
                                   "error", "pubspec.yaml", line)]
    if not isinstance(document, dict):
        return Pubspec(), [Finding("pubspec.invalid", "pubspec.yaml must be a mapping", "error", "pubspec.yaml", 1)]
    lines = _key_lines(text)
    findings: list[Finding] = []
    name = document.get("name")
    if not isinstance(name, str) or not is_legal_package_name(name):
        findings.append(Finding("pubspec.name",
                                f"package name {name!r} is not a legal Dart package name (lowercase_with_underscores)",
                                "error", "pubspec.yaml", lines.get("name", 1)))
        name = None
    environment = document.get("environment")
    sdk = environment.get("sdk") if isinstance(environment, dict) else None
    if not isinstance(sdk, str) or not _sdk_supports_dart3(sdk):
        findings.append(Finding("pubspec.constraint", f"environment.sdk {sdk!r} must require Dart 3 (e.g. ^3.4.0)",
                                "error", "pubspec.yaml", lines.get("environment.sdk", lines.get("environment", 1))))
    dependencies = document.get("dependencies")
    dev_dependencies = document.get("dev_dependencies")
    findings += _dependency_findings("dependencies", dependencies, lines)
    findings += _dependency_findings("dev_dependencies", dev_dependencies, lines)
    pubspec = Pubspec(
        name=name,
        dependencies=set(dependencies) if isinstance(dependencies, dict) else set(),
        dev_dependencies=set(dev_dependencies) if isinstance(dev_dependencies, dict) else set(),
    )
    return pubspec, findings


def resolve_import(uri: str, importer: str, package: str | None) -> str | None:
    """The project file (relative to source/) a URI points at, or None for dart: and other packages."""
    if uri.startswith("dart:"):
        return None
    if uri.startswith("package:"):
        name, _, rest = uri.removeprefix("package:").partition("/")
        return f"lib/{rest}" if package is not None and name == package else None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(importer), uri))
    return None if resolved.startswith("..") else resolved


def _import_findings(path: str, source: str, files: dict[str, str], pubspec: Pubspec) -> list[Finding]:
    """Imports that point at missing files, unknown dart: libraries or packages pubspec does not declare."""
    findings: list[Finding] = []
    dev_allowed = path.startswith(_DEV_ONLY_ROOTS)
    for directive in dart.directives(source):
        uri = directive.uri
        if uri.startswith("dart:"):
            if uri.removeprefix("dart:") not in DART_LIBRARIES:
                findings.append(Finding("import.unresolved", f"'{uri}' is not a Dart library", "error",
                                        path, directive.line))
            continue
        if uri.startswith("package:"):
            package = uri.removeprefix("package:").split("/", 1)[0]
            if package != pubspec.name:
                declared = package in pubspec.dependencies or (dev_allowed and package in pubspec.dev_dependencies)
                if not declared:
                    where = "dev_dependencies only" if package in pubspec.dev_dependencies else "pubspec.yaml"
                    findings.append(Finding("import.undeclared_package",
                                            f"'{uri}' uses package {package}, not declared in {where}"
                                            + (" (lib/ code needs it in dependencies)" if package in
                                               pubspec.dev_dependencies else ""),
                                            "error", path, directive.line))
                continue
        target = resolve_import(uri, path, pubspec.name)
        if target is None or target not in files:
            findings.append(Finding("import.unresolved", f"{directive.kind} '{uri}' points at no file in the project",
                                    "error", path, directive.line))
    return findings


def _exported_names(path: str, files: dict[str, str], package: str | None, seen: set[str]) -> set[str] | None:
    """Names a file makes available to importers (its exports followed); None when usage cannot be told."""
    if path in seen or path not in files:
        return set()
    seen.add(path)
    source = files[path]
    if dart.declares_extension(source):
        return None
    names = dart.top_level_names(source)
    for directive in dart.directives(source):
        if directive.kind not in ("export", "part"):
            continue
        target = resolve_import(directive.uri, path, package)
        if target is None:
            return None
        more = _exported_names(target, files, package, seen)
        if more is None:
            return None
        names |= more
    return names


def unused_imports(path: str, files: dict[str, str], package: str | None) -> list[dart.DartDirective]:
    """Imports of a file that nothing in it uses (duplicates included); only cases that are certain."""
    source = files[path]
    used = dart.identifiers_used(source)
    unused: list[dart.DartDirective] = []
    seen_uris: set[str] = set()
    for directive in dart.imports(source):
        if directive.uri in seen_uris:
            unused.append(directive)
            continue
        seen_uris.add(directive.uri)
        if directive.prefix is not None:
            if directive.prefix not in used:
                unused.append(directive)
            continue
        if directive.show:
            if not set(directive.show) & used:
                unused.append(directive)
            continue
        target = resolve_import(directive.uri, path, package)
        if target is None or target not in files:
            continue
        names = _exported_names(target, files, package, set())
        if names is not None and not names & used:
            unused.append(directive)
    return unused


def _naming_findings(path: str, source: str) -> list[Finding]:
    """File names in snake_case, type names in UpperCamelCase (Effective Dart)."""
    findings: list[Finding] = []
    if not _FILE_NAME.fullmatch(posixpath.basename(path)):
        findings.append(Finding("naming.file", f"file name {posixpath.basename(path)} is not lower_snake_case",
                                "warning", path, 1))
    for declaration in dart.class_declarations(source):
        if not _TYPE_NAME.fullmatch(declaration.name):
            findings.append(Finding("naming.type", f"type {declaration.name} is not UpperCamelCase",
                                    "warning", path, declaration.line))
    return findings


def _placeholder_findings(path: str, source: str) -> list[Finding]:
    """Unfinished work left in the code: Placeholder widgets, UnimplementedError, TODO/FIXME, lorem ipsum."""
    findings: list[Finding] = []
    for number, line in enumerate(source.splitlines(), start=1):
        marker = _TODO.search(line)
        if marker:
            findings.append(Finding("placeholder.leftover", f"{marker.group(1)} comment left in the code",
                                    "warning", path, number))
        if _LOREM.search(line):
            findings.append(Finding("placeholder.leftover", "lorem ipsum text shown to users", "warning",
                                    path, number))
    for call in dart.invocations(dart.parse(source).root_node):
        if call.chain == ["Placeholder"]:
            findings.append(Finding("placeholder.leftover", "Placeholder widget instead of the real screen content",
                                    "error", path, call.line))
        elif call.chain == ["UnimplementedError"]:
            findings.append(Finding("placeholder.leftover", "UnimplementedError: this code path was never written",
                                    "error", path, call.line))
    return findings


def _screens(files: dict[str, str], spec: ProductSpec | None) -> list[tuple[str, str]]:
    """(widget, file) of every screen: from the spec, else the *Screen/*Page widgets under lib/."""
    if spec is not None:
        return [(screen.widget, screen.file) for screen in spec.screens]
    found: list[tuple[str, str]] = []
    for path, source in sorted(files.items()):
        if path.startswith("lib/") and path.endswith(".dart"):
            found.extend(
                (c.name, path) for c in dart.class_declarations(source)
                if c.name.endswith(("Screen", "Page")) and c.superclass in ("StatelessWidget", "StatefulWidget")
            )
    return found


def _screen_findings(files: dict[str, str], spec: ProductSpec | None) -> list[Finding]:
    """Spec screens must exist and be routed; routes must build declared screens; each screen needs a test."""
    findings: list[Finding] = []
    table = route_table(files)
    declared = {
        c.name: path
        for path, source in files.items() if path.startswith("lib/") and path.endswith(".dart")
        for c in dart.class_declarations(source)
    }
    for route in table.routes:
        if route.screen and route.screen.endswith(("Screen", "Page")) and route.screen not in declared:
            findings.append(Finding("route.missing_screen",
                                    f"route {route.path} builds {route.screen}, which no file under lib/ declares",
                                    "error", route.file, route.line))
    routed = {route.path for route in table.routes if route.path}
    for screen in spec.screens if spec is not None else []:
        if screen.file not in files:
            findings.append(Finding("route.missing_screen", f"screen {screen.widget} ({screen.route}): "
                                    f"its file {screen.file} does not exist", "error", screen.file, None))
        elif declared.get(screen.widget) != screen.file:
            findings.append(Finding("route.missing_screen", f"{screen.file} does not declare {screen.widget}",
                                    "error", screen.file, 1))
        if table.routes and screen.route not in routed:
            router = min(table.router_files)
            findings.append(Finding("route.missing_screen", f"no GoRoute serves {screen.route} ({screen.widget})",
                                    "error", router, None))
    tested = set().union(*(
        dart.identifiers_used(source) for path, source in files.items()
        if path.startswith("test/") and path.endswith("_test.dart")
    ))
    for widget, path in _screens(files, spec):
        if widget not in tested:
            expected = "test/" + path.removeprefix("lib/").removesuffix(".dart") + "_test.dart"
            findings.append(Finding("screen.missing_test", f"no test under test/ exercises {widget}",
                                    "error", expected, None))
    return findings


def analyze_dart_file(path: str, files: dict[str, str], pubspec: Pubspec) -> list[Finding]:
    """Every per-file rule for one Dart file: syntax, imports, naming, placeholders."""
    source = files[path]
    findings = [Finding("dart.parse_error", message, "error", path, line) for line, message in dart.parse_errors(source)]
    findings += _import_findings(path, source, files, pubspec)
    findings += [
        Finding("import.unused", f"import '{d.uri}' is not used", "warning", path, d.line)
        for d in unused_imports(path, files, pubspec.name)
    ]
    findings += _naming_findings(path, source)
    findings += _placeholder_findings(path, source)
    return findings


def analyze_project(files: dict[str, str], spec: ProductSpec | None) -> list[Finding]:
    """All static findings for a project (paths relative to source/), plus Flutter's own where it is installed."""
    pubspec, findings = check_pubspec(files)
    for path in sorted(files):
        if path.endswith(".dart"):
            findings += analyze_dart_file(path, files, pubspec)
    findings += entry_findings(files)
    findings += _screen_findings(files, spec)
    findings += flutter_findings(files, ("analyze", "test"))
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable reading order: by file, line, rule."""
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.rule, f.message))


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one Flutter command in the project copy, output captured, bounded in time."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=FLUTTER_TIMEOUT_SECONDS,
                          check=False)


def _tail(output: str, lines: int = 12) -> str:
    """The last lines of a command's output, for a finding's message."""
    return "\n".join(output.strip().splitlines()[-lines:])


def flutter_findings(files: dict[str, str], commands: tuple[str, ...]) -> list[Finding]:
    """`flutter analyze` / `flutter test` findings on a temporary copy; empty where no Flutter SDK is on PATH."""
    flutter = shutil.which("flutter")
    if flutter is None:
        return []
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="flutter-qa-") as temp:
        root = Path(temp)
        for path, content in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        try:
            pub = _run([flutter, "pub", "get"], root)
            if pub.returncode != 0:
                return [Finding("flutter.pub_get", f"flutter pub get failed:\n{_tail(pub.stderr or pub.stdout)}",
                                "error", "pubspec.yaml", None)]
            if "analyze" in commands:
                analyzed = _run([flutter, "analyze", "--no-pub", "--no-fatal-infos", "--no-fatal-warnings"], root)
                for line in analyzed.stdout.splitlines():
                    match = _FLUTTER_ANALYZE_LINE.match(line)
                    if match:
                        severity, message, file, number, code = match.groups()
                        findings.append(Finding("flutter.analyze", f"[{code}] {message}", severity,  # type: ignore[arg-type]
                                                file, int(number)))
            if "test" in commands and (root / "test").is_dir():
                tested = _run([flutter, "test", "--no-pub"], root)
                if tested.returncode != 0:
                    failures = _FLUTTER_FAILED_TEST.findall(tested.stdout)
                    findings += [Finding("flutter.test", f"test failed: {name}", "error", file, None)
                                 for file, name in failures] or [
                        Finding("flutter.test", f"flutter test failed:\n{_tail(tested.stdout + tested.stderr)}",
                                "error", "test", None)]
        except subprocess.TimeoutExpired as error:
            findings.append(Finding("flutter.timeout", f"{' '.join(error.cmd)} took over {error.timeout}s",
                                    "error", None, None))
    return findings
