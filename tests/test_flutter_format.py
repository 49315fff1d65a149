"""What a Flutter developer sees first in the generated project: dart-format-like layout, current
APIs, widget tests that compile and can pass, lint-clean constants, and true platform notes."""

from __future__ import annotations

import json
import re

import pytest

from chalicelib.flutter import naming
from chalicelib.flutter.escape import markdown_text
from chalicelib.flutter.features import build_product_spec
from chalicelib.flutter.generator import generate_project
from chalicelib.flutter.generator_dart import entity_codes
from tests.support.examples import EXAMPLES, example_job

REQUESTS = sorted(EXAMPLES.glob("*.json"))

# Names that are deprecated or gone in the Flutter SDK and the pinned package versions.
DEPRECATED_APIS = [
    "withOpacity(", "MaterialStateProperty", "MaterialState.", "WillPopScope", "ButtonBar(",
    "textScaleFactor", "useInheritedMediaQuery", "headline6", "bodyText1", "bodyText2",
    "accentColor", "FlatButton", "RaisedButton", "androidAllowWhileIdle",  # flutter_local_notifications 17
    "MarkerLayerOptions", "TileLayerOptions", "Marker(builder:",  # flutter_map before 6
    "state.params", "state.queryParams", "state.location",  # go_router before 7 / 10
    "GoRouter.of(context).location",
]


@pytest.fixture(params=REQUESTS, ids=[p.stem for p in REQUESTS], scope="module")
def generated(request):
    spec = build_product_spec(example_job(request.param))
    return spec, generate_project(spec)


def _dart(files: dict[str, str]) -> dict[str, str]:
    return {p: t for p, t in files.items() if p.endswith(".dart")}


def _code_lines(text: str):
    """(number, line) of every line outside multi-line strings (the generator writes none)."""
    return enumerate(text.splitlines(), start=1)


def test_indentation_is_even_and_comments_align_with_their_code(generated):
    _, files = generated
    bad = []
    for path, text in _dart(files).items():
        lines = text.splitlines()
        for number, line in _code_lines(text):
            width = len(line) - len(line.lstrip(" "))
            if width % 2:
                bad.append(f"{path}:{number}: odd indentation")
            if line.lstrip().startswith("///") and number < len(lines):
                following = lines[number]
                if following.strip() and not following.lstrip().startswith("///"):
                    if len(following) - len(following.lstrip(" ")) != width:
                        bad.append(f"{path}:{number + 1}: not aligned with its doc comment")
    assert bad == []


def test_no_trailing_whitespace_tabs_or_glued_statements(generated):
    _, files = generated
    glued = re.compile(r"\}(if|final|return|///|Future|void|[A-Z]\w*\()")
    bad = [f"{p}:{n}: {line!r}" for p, t in _dart(files).items() for n, line in _code_lines(t)
           if line != line.rstrip() or "\t" in line or glued.search(line.split("//")[0]
                                                                   if "'" not in line else "")]
    assert bad == []


def test_lines_fit_in_80_columns(generated):
    """dart format cannot split imports or a long string literal; everything else fits."""
    _, files = generated
    literal = re.compile(r"'(?:[^'\\]|\\.)*'")
    bad = [f"{p}:{n}: {line}" for p, t in _dart(files).items() for n, line in _code_lines(t)
           if len(line) > 80 and not line.startswith(("import ", "export "))
           and len(literal.sub("''", line)) > 80]
    assert bad == []


def test_domain_model_fields_sit_at_class_member_indentation(generated):
    _, files = generated
    for path, text in files.items():
        if "/domain/" in path:
            fields = re.findall(r"^( *)final \w+\?? \w+;$", text, re.M)
            assert fields and set(fields) == {"  "}, path


def test_no_deprecated_or_removed_apis(generated):
    _, files = generated
    found = [(p, api) for p, t in _dart(files).items() for api in DEPRECATED_APIS if api in t]
    assert found == []


def test_every_widget_test_pumps_inside_a_material_app(generated):
    _, files = generated
    for path, text in files.items():
        if path.startswith("test/") and "pumpWidget(" in text:
            pumped = re.findall(r"pumpWidget\(\s*(\w+(?: \w+)?)", text)
            assert pumped and all(p in ("MaterialApp", "const MaterialApp") for p in pumped), path


def test_tests_import_every_entity_they_construct(generated):
    """A test that builds `Deal(...)` must import the file that declares Deal."""
    spec, files = generated
    codes = entity_codes(spec)
    for path, text in files.items():
        if not path.startswith("test/"):
            continue
        for code in codes.values():
            if re.search(rf"(?<![\w.]){code.name}\(", text):
                assert f"import '{code.model_uri}';" in text, (path, code.name)


def test_constant_samples_are_const(generated):
    """flutter_lints' prefer_const_constructors / prefer_const_declarations stay quiet."""
    spec, files = generated
    for code in entity_codes(spec).values():
        if any(f.dart_type == "DateTime" for f in code.fields):
            continue
        for path, text in files.items():
            if path.startswith("test/"):
                assert not re.search(rf"final \w+ = {code.name}\(", text), (path, code.name)
                assert not re.search(rf"(?<!const )\[\s*{code.name}\(", text), (path, code.name)


def test_no_null_aware_access_on_non_nullable_fields(generated):
    """`initial?.amount?.toString()` on a required field is an analyzer warning."""
    spec, files = generated
    for code in entity_codes(spec).values():
        for f in code.fields:
            if f.required and f.dart_type != "bool":
                for path, text in files.items():
                    assert f"?.{f.name}?." not in text, (path, f.name)


def test_forms_do_not_lose_fields_scrolled_out_of_a_lazy_list(generated):
    """A Form inside ListView disposes off-screen fields, so save() skips them."""
    _, files = generated
    for path, text in files.items():
        if path.endswith("_form_screen.dart"):
            assert "SingleChildScrollView(" in text and "child: ListView(" not in text, path
            assert "validator: null" not in text, path


def test_view_model_methods_follow_load_at_member_level(generated):
    _, files = generated
    for path, text in files.items():
        if path.endswith("_view_model.dart"):
            assert not re.search(r"^(Future|void|List|String|bool|int|double)\b", text, re.M), path


def test_flutter_create_keeps_the_test_folder_compiling(generated):
    """`flutter create .` writes a counter-app test/widget_test.dart unless the file exists."""
    spec, files = generated
    smoke = files["test/widget_test.dart"]
    assert "MyApp" not in smoke and "MaterialApp(" in smoke
    assert f"package:{spec.package_name}/ui/home/home_screen.dart" in smoke


def test_readme_names_the_platform_setup_the_plugins_need(generated):
    spec, files = generated
    readme, kinds = files["README.md"], {f.kind for f in spec.features}
    if "reminders" in kinds:
        for needed in ("POST_NOTIFICATIONS", "coreLibraryDesugaring",
                       "ScheduledNotificationReceiver", "inexactAllowWhileIdle"):
            assert needed in readme
        assert "requestNotificationsPermission" in files["lib/data/services/notification_service.dart"]
    if "map" in kinds:
        assert "android.permission.INTERNET" in readme and "location" in readme
    if spec.backend != "none":
        assert "flutter run --dart-define=USE_LOCAL_DATA=true" in readme
    if spec.backend == "firebase":
        assert "DefaultFirebaseOptions.currentPlatform" in readme and "minSdk = 23" in readme


def test_app_title_keeps_the_users_name(generated):
    spec, files = generated
    data = json.loads(next(p for p in REQUESTS if naming.slug(json.loads(p.read_text())["name"])
                           == naming.slug(spec.app_name)).read_text())
    assert spec.app_name == data["name"]
    assert files["README.md"].startswith("# ")


def test_markdown_text_keeps_ordinary_punctuation_readable():
    assert markdown_text("Lists deals (under $5). Save, share!") == \
        "Lists deals (under $5). Save, share!"
    assert markdown_text('save favourites ("starred")') == 'save favourites ("starred")'
    assert markdown_text("[a](b)") == r"\[a\](b)"
    assert markdown_text("- not a list") == r"\- not a list"
    assert markdown_text("1. not a list") == r"1\. not a list"
    assert markdown_text("a-b c+d") == "a-b c+d"


def test_readme_points_at_the_docs_folder_beside_source(generated):
    _, files = generated
    for path, text in files.items():
        for match in re.finditer(r"(\.\./)?docs/(openapi\.yaml|backend_plan\.md)", text):
            assert match.group(1), (path, text[max(0, match.start() - 40):match.end()])


def test_docs_show_no_needless_markdown_escapes(generated):
    _, files = generated
    for path, text in files.items():
        if path.endswith(".md"):
            assert "\\(" not in text and "\\)" not in text, path


def test_every_form_field_validates_its_input(generated):
    from chalicelib.flutter.security_checks import check_security

    _, files = generated
    findings = check_security(files, files["README.md"])
    assert [f for f in findings if f.rule == "form.missing_validator"] == []
    forms = {p: t for p, t in files.items() if p.endswith("_form_screen.dart")}
    assert forms
    for path, text in forms.items():
        fields = text.split("TextFormField(")[1:]
        for field in fields:
            body = field.split("onSaved:")[0]
            assert "validator:" in body, path
            assert "text.length >" in body or "number <" in body, (path, body)


def test_email_phone_and_number_validators_are_specific():
    from chalicelib.flutter.generator_crud import text_checks
    from chalicelib.flutter.spec import EntityField

    email = "\n".join(text_checks(EntityField(name="email", dart_type="String", label="Email")))
    assert "RegExp(" in email and "hasMatch(text)" in email and "text.length > 100" in email
    phone = "\n".join(text_checks(EntityField(name="phone", dart_type="String", label="Phone",
                                              required=False)))
    assert phone.startswith("if (text.isEmpty) {\n  return null;") and "RegExp(" in phone
    price = "\n".join(text_checks(EntityField(name="price", dart_type="double", label="Price")))
    assert "double.tryParse(text)" in price and "!number.isFinite" in price and "number < 0" in price
    latitude = "\n".join(text_checks(EntityField(name="latitude", dart_type="double", label="Lat")))
    assert "number < -90 || number > 90" in latitude


def test_desugaring_note_gives_the_kotlin_dsl_first(generated):
    spec, files = generated
    readme = files["README.md"]
    if not any(f.kind == "reminders" for f in spec.features):
        return
    kotlin = readme.index("```kotlin")
    groovy = readme.index("```groovy")
    assert kotlin < groovy
    assert "android/app/build.gradle.kts" in readme[:kotlin]
    assert 'isCoreLibraryDesugaringEnabled = true' in readme[kotlin:groovy]
    assert 'coreLibraryDesugaring("com.android.tools:desugar_jdk_libs:' in readme[kotlin:groovy]
    assert "coreLibraryDesugaringEnabled true" in readme[groovy:]
