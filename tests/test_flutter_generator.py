"""The generated project for every example request: parses, resolves, declares, tests every screen."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
import tree_sitter_dart
import yaml
from tree_sitter import Language, Parser

from chalicelib.domain.spec import JobSpec
from chalicelib.flutter import naming
from chalicelib.flutter.features import build_product_spec
from chalicelib.flutter.generator import PACKAGE_VERSIONS, generate_project
from tests.support.examples import EXAMPLES, example_job

PARSER = Parser(Language(tree_sitter_dart.language()))
IMPORT = re.compile(r"^import '([^']+)'", re.M)


REQUESTS = sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(params=REQUESTS, ids=[p.stem for p in REQUESTS], scope="module")
def generated(request):
    spec = build_product_spec(example_job(request.param))
    return spec, generate_project(spec)


def _errors(node, found):
    if node.type == "ERROR" or node.is_missing:
        found.append(node.start_point)
    for child in node.children:
        _errors(child, found)
    return found


def test_examples_exist():
    assert len(REQUESTS) >= 4


def test_every_dart_file_parses(generated):
    _, files = generated
    bad = {p: _errors(PARSER.parse(t.encode()).root_node, [])
           for p, t in files.items() if p.endswith(".dart")}
    assert {p: e for p, e in bad.items() if e} == {}


def test_every_import_resolves_or_is_declared(generated):
    spec, files = generated
    pubspec = yaml.safe_load(files["pubspec.yaml"])
    declared = set(pubspec["dependencies"]) | set(pubspec["dev_dependencies"])
    problems = []
    for path, text in files.items():
        if not path.endswith(".dart"):
            continue
        for uri in IMPORT.findall(text):
            if uri.startswith("dart:"):
                continue
            if uri.startswith("package:"):
                package, rest = uri[len("package:"):].split("/", 1)
                if package == spec.package_name:
                    if f"lib/{rest}" not in files:
                        problems.append((path, uri))
                elif package not in declared:
                    problems.append((path, uri))
            elif posixpath.normpath(posixpath.join(posixpath.dirname(path), uri)) not in files:
                problems.append((path, uri))
    assert problems == []


def test_pubspec_is_valid(generated):
    spec, files = generated
    pubspec = yaml.safe_load(files["pubspec.yaml"])
    assert naming.is_legal_package_name(pubspec["name"])
    assert pubspec["description"] == spec.description
    assert pubspec["environment"]["sdk"] == "^3.4.0"
    assert pubspec["dependencies"]["flutter"] == {"sdk": "flutter"}
    for name, constraint in pubspec["dependencies"].items():
        if name != "flutter":
            assert constraint == PACKAGE_VERSIONS[name] and constraint.startswith("^")
    assert "flutter_lints" in pubspec["dev_dependencies"]
    assert "package:flutter_lints/flutter.yaml" in files["analysis_options.yaml"]


def test_every_requested_feature_has_a_screen(generated):
    spec, files = generated
    requested = {f.source for f in spec.features}
    assert len([f for f in spec.features if not f.source.startswith("(")]) == len(requested)
    for feature in spec.features:
        screens = spec.screens_of(feature.id)
        assert screens, feature.id
        for screen in screens:
            assert screen.file in files
            assert f"class {screen.widget} " in files[screen.file]
            assert f"Routes.{naming.lower_camel(screen.name)}," in files["lib/routing/router.dart"]


def test_every_screen_file_has_a_widget_test(generated):
    spec, files = generated
    tests = "\n".join(t for p, t in files.items() if p.startswith("test/"))
    for screen in spec.screens:
        assert f"{screen.widget}(" in tests, screen.widget
        assert re.search(rf"test/.*{Path(screen.file).stem}_test\.dart", "\n".join(files)), screen.file


def test_user_text_is_escaped(generated):
    spec, files = generated
    config = files["lib/config/app_config.dart"]
    tree = PARSER.parse(config.encode())
    assert not _errors(tree.root_node, [])
    assert "runApp(" in files["lib/main.dart"]


def test_generation_is_deterministic():
    spec = build_product_spec(example_job(REQUESTS[0]))
    assert generate_project(spec) == generate_project(spec)


def test_hostile_text_stays_data():
    job = JobSpec(slug="x", team_id="t", name="home", description="Ignore previous instructions'; $x",
                  features=["home", "settings", "onboarding", "deals list"])
    spec = build_product_spec(job)
    assert not {f.id for f in spec.features} & naming.BUILT_IN_FEATURE_NAMES
    assert [s.widget for s in spec.screens].count("HomeScreen") == 1
    assert naming.feature_id("home") == "home_feature"
    assert any(f.entity == "Deal" for f in spec.features)
    files = generate_project(spec)
    assert "'Ignore previous instructions\\'; \\$x'" in files["lib/config/app_config.dart"]
    widgets = [s.widget for s in spec.screens]
    assert len(widgets) == len(set(zip(widgets, [s.route for s in spec.screens], strict=True)))


def test_hostile_request_project_parses_and_resolves():
    job = JobSpec(slug="x", team_id="t", name="123 class", description="a: b # c",
                  features=["home", "settings", "onboarding", "search", "deals list"])
    spec = build_product_spec(job)
    files = generate_project(spec)
    assert yaml.safe_load(files["pubspec.yaml"])["description"] == "a: b # c"
    for path, text in files.items():
        if path.endswith(".dart"):
            assert not _errors(PARSER.parse(text.encode()).root_node, []), path
            for uri in IMPORT.findall(text):
                if uri.startswith(f"package:{spec.package_name}/"):
                    assert "lib/" + uri.split("/", 1)[1] in files, (path, uri)


def _example(stem: str):
    spec = build_product_spec(example_job(EXAMPLES / f"{stem}.json"))
    return spec, generate_project(spec)


def test_choices_in_parentheses_become_an_enum_with_a_dropdown():
    spec, files = _example("pantry-saver")
    location = spec.entity("PantryItem").field("location")
    assert location.choices == ["fridge", "freezer", "shelf"]
    assert location.enum_type == "PantryItemLocation"
    model = files["lib/features/pantry_items/domain/pantry_item.dart"]
    assert "enum PantryItemLocation {\n  fridge('fridge'),\n  freezer('freezer'),\n  shelf('shelf');" in model
    assert "final PantryItemLocation location;" in model
    assert "location: PantryItemLocation.fromJson(json['location'])," in model
    assert "'location': location.name," in model
    form = files["lib/features/pantry_items/ui/pantry_item_form_screen.dart"]
    assert "DropdownButton<PantryItemLocation>(" in form
    assert "'Choose the location'" in form
    assert "'Location: ${location.label}'" in files["lib/features/pantry_items/ui/pantry_item_display.dart"]
    test = files["test/pantry_items/pantry_item_test.dart"]
    assert "expect(item.toJson()['location'], 'fridge');" in test
    assert "PantryItemLocation.fromJson('unknown')" in test


def test_choices_keep_the_users_words_exactly():
    spec, files = _example("chi-tieu-gia-dinh")
    assert spec.entity("Budget").field("category").choices == ["ăn uống", "học phí", "điện nước"]
    model = files["lib/features/budgets/domain/budget.dart"]
    assert "anUong('ăn uống')," in model and "dienNuoc('điện nước');" in model
    charts = files["lib/features/charts/ui/charts_view_model.dart"]
    assert "final key = item.category.label;" in charts


@pytest.mark.parametrize("description", [
    'Lists deals; users save favourites ("starred") and share them.',
    "Track items in the fridge (e.g. milk, eggs, cheese).",
    "Set locations (fridge, freezer, etc.) for every item.",
    "Set a location (optional) for every item.",
    "Shopping (groceries, drinks) and pantry items with a location.",
])
def test_parentheses_that_are_not_a_closed_list_of_a_field_stay_free_text(description):
    job = JobSpec(slug="x", team_id="t", name="Pantry", description=description,
                  features=["inventory", "deals list"])
    spec = build_product_spec(job)
    assert [f.name for e in spec.entities for f in e.fields if f.choices] == []


def test_choices_do_not_leak_into_the_next_job_and_are_escaped():
    job = JobSpec(slug="x", team_id="t", name="Pantry",
                  description="Items have locations (Tom's shelf, $fridge, back\\room).",
                  features=["inventory"])
    spec = build_product_spec(job)
    assert spec.entity("PantryItem").field("location").choices == ["Tom's shelf", "$fridge", "back\\room"]
    files = generate_project(spec)
    model = files["lib/features/pantry_items/domain/pantry_item.dart"]
    assert "tomSShelf('Tom\\'s shelf')," in model or "tomsShelf('Tom\\'s shelf')," in model
    assert "fridge('\\$fridge')," in model and "backRoom('back\\\\room');" in model
    for path, text in files.items():
        if path.endswith(".dart"):
            assert not _errors(PARSER.parse(text.encode()).root_node, []), path
    plain = build_product_spec(JobSpec(slug="y", team_id="t", name="P", description="A pantry.",
                                       features=["inventory"]))
    assert plain.entity("PantryItem").field("location").choices == []


def test_a_feature_has_one_name_on_home_app_bar_route_and_tests(generated):
    spec, files = generated
    for destination in spec.navigation.destinations:
        entry = next(s for s in spec.screens if s.route == destination.route)
        assert destination.label == entry.title, (destination.label, entry.title)
        assert destination.label == spec.feature(destination.feature).title


def test_notifications_feature_is_called_notifications_everywhere():
    spec, files = _example("chi-tieu-gia-dinh")
    feature = next(f for f in spec.features if f.kind == "reminders")
    assert feature.title == "Notifications"
    assert next(s.route for s in spec.screens if s.kind == "list" and s.feature == feature.id) == \
        "/notifications"
    assert "_Destination('Notifications', Icons.notifications" in files["lib/ui/home/home_screen.dart"]
    list_screen = files["lib/features/notifications/ui/reminder_list_screen.dart"]
    assert "Text('Notifications')" in list_screen and "'Reminders'" not in list_screen
    assert "find.text('Notifications')" in files["test/ui/home_screen_test.dart"]


def test_map_centres_on_the_items_and_defaults_to_a_named_constant():
    _, files = _example("deals-finder")
    config = files["lib/config/app_config.dart"]
    assert "static const defaultMapLatitude = 48.8566;" in config
    assert "static const defaultMapLongitude = 2.3522;" in config
    assert "fits them all" in config
    screen = files["lib/features/map/ui/map_screen.dart"]
    assert "48.8566" not in screen
    assert "AppConfig.defaultMapLatitude" in screen and "CameraFit.coordinates(" in screen
    assert "initialCameraFit: points.isEmpty" in screen
    assert "package:toms_best_5_deals/config/app_config.dart" in screen
