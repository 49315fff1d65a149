"""The generated project for every example request: parses, resolves, declares, tests every screen."""

from __future__ import annotations

import json
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

EXAMPLES = Path(__file__).resolve().parents[2] / "shared/examples/requests"
PARSER = Parser(Language(tree_sitter_dart.language()))
IMPORT = re.compile(r"^import '([^']+)'", re.M)


def _job(path: Path) -> JobSpec:
    data = json.loads(path.read_text())
    for key in ("platform", "features"):
        if isinstance(data.get(key), str):
            data[key] = [part.strip() for part in data[key].split(",") if part.strip()]
    return JobSpec(slug=naming.slug(data["name"]), team_id="team", **data)


REQUESTS = sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(params=REQUESTS, ids=[p.stem for p in REQUESTS], scope="module")
def generated(request):
    spec = build_product_spec(_job(request.param))
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
    spec = build_product_spec(_job(REQUESTS[0]))
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
