"""The Dart parser helpers and the QA analyzer's rules, on a hand-written Flutter project."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from chalicelib.flutter import dart_parser as dart
from chalicelib.flutter.analyzer import analyze_project, check_pubspec, unused_imports
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import Finding
from tests.support.sample_flutter_app import PUBSPEC, sample_project, sample_spec

DETAIL = "lib/features/notes/ui/note_detail_screen.dart"
SETTINGS = "lib/features/settings/ui/settings_screen.dart"
ROUTER = "lib/routing/router.dart"


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


@pytest.fixture
def project() -> dict[str, str]:
    return sample_project()


@pytest.fixture
def spec() -> ProductSpec:
    return ProductSpec.model_validate(sample_spec())


def test_parse_errors_is_empty_for_modern_dart():
    source = """\
sealed class Shape {}
final class Square extends Shape { Square(this.side); final double side; }
double area(Shape shape) => switch (shape) { Square(:final side) => side * side };
void main() { final (a, b) = (1, 2); print('$a ${b + 1}'); }
extension type Meters(int value) {}
"""
    assert dart.parse_errors(source) == []


def test_parse_errors_names_line_of_missing_semicolon():
    source = "void main() {\n  final x = 1\n  print(x);\n}\n"
    errors = dart.parse_errors(source)
    assert errors and errors[0][0] == 2


def test_directives_read_prefix_show_and_lines():
    source = "import 'dart:async';\nimport 'package:http/http.dart' as http;\nimport 'a.dart' show A, B;\n"
    found = dart.imports(source)
    assert [(d.uri, d.line, d.prefix, d.show) for d in found] == [
        ("dart:async", 1, None, ()),
        ("package:http/http.dart", 2, "http", ()),
        ("a.dart", 3, None, ("A", "B")),
    ]


def test_class_declarations_read_constructor_parameters():
    source = "class Item { const Item(this.id, {required this.name, this.note}); final String id; " \
             "final String name; final String? note; }"
    (item,) = dart.class_declarations(source)
    (constructor,) = item.constructors
    assert [(p.name, p.named, p.required) for p in constructor.parameters] == [
        ("id", False, True), ("name", True, True), ("note", True, False)]


def test_clean_project_has_no_findings(project, spec):
    assert analyze_project(project, spec) == []
    assert analyze_project(project, None) == []


def test_planted_parse_error_is_found_with_file_and_line(project):
    lines = project[DETAIL].splitlines()
    broken_line = next(i for i, line in enumerate(lines, start=1) if "final String noteId;" in line)
    lines[broken_line - 1] = "  final String noteId"
    project[DETAIL] = "\n".join(lines) + "\n"
    errors = only(analyze_project(project, None), "dart.parse_error")
    assert errors and all(f.file == DETAIL and f.severity == "error" for f in errors)
    assert errors[0].line == broken_line


def test_unresolved_relative_and_own_package_imports_are_errors(project):
    project[SETTINGS] = project[SETTINGS].replace(
        "import 'package:flutter/material.dart';",
        "import 'package:flutter/material.dart';\nimport '../data/settings_store.dart';\n"
        "import 'package:shelf_notes/features/settings/domain/gone.dart';",
    )
    unresolved = only(analyze_project(project, None), "import.unresolved")
    assert [(f.file, f.line) for f in unresolved] == [(SETTINGS, 2), (SETTINGS, 3)]


def test_packages_must_be_declared_and_dev_packages_stay_out_of_lib(project):
    project[SETTINGS] = ("import 'package:http/http.dart' as http;\n"
                         "import 'package:flutter_test/flutter_test.dart';\n" + project[SETTINGS])
    undeclared = only(analyze_project(project, None), "import.undeclared_package")
    assert [(f.file, f.line) for f in undeclared] == [(SETTINGS, 1), (SETTINGS, 2)]
    assert "dev_dependencies only" in undeclared[1].message


def test_unknown_dart_library_is_unresolved(project):
    project[SETTINGS] = "import 'dart:networking';\n" + project[SETTINGS]
    assert [(f.file, f.line) for f in only(analyze_project(project, None), "import.unresolved")] == [(SETTINGS, 1)]


def test_unused_project_import_and_unused_prefix_are_warnings(project):
    project[SETTINGS] = project[SETTINGS].replace(
        "import 'package:flutter/material.dart';",
        "import 'package:flutter/material.dart';\nimport '../../notes/domain/note.dart';\n"
        "import 'dart:math' as math;",
    )
    unused = only(analyze_project(project, None), "import.unused")
    assert [(f.line, f.severity) for f in unused] == [(2, "warning"), (3, "warning")]
    assert [d.uri for d in unused_imports(SETTINGS, project, "shelf_notes")] == [
        "../../notes/domain/note.dart", "dart:math"]


def test_used_project_import_is_not_flagged(project):
    assert not only(analyze_project(project, None), "import.unused")
    assert unused_imports("lib/app.dart", project, "shelf_notes") == []


def test_pubspec_that_is_not_yaml_is_invalid_with_its_line(project):
    project["pubspec.yaml"] = PUBSPEC.replace('description: "Notes: keep track of your shelf."',
                                              "description: Notes: keep track: of your shelf")
    (finding,) = only(analyze_project(project, None), "pubspec.invalid")
    assert finding.file == "pubspec.yaml" and finding.line == 2


def test_pubspec_name_and_constraints_are_checked():
    _, findings = check_pubspec({"pubspec.yaml": PUBSPEC.replace("name: shelf_notes", "name: 123 class")
                                 .replace("sdk: ^3.4.0", "sdk: '>=2.12.0 <3.0.0'")
                                 .replace("provider: ^6.1.2", "provider: any")
                                 .replace("go_router: ^14.2.0", "go_router: latest")})
    by_rule = {(f.rule, f.severity, f.line) for f in findings}
    assert ("pubspec.name", "error", 1) in by_rule
    assert ("pubspec.constraint", "error", 7) in by_rule
    assert ("pubspec.constraint", "error", 12) in by_rule
    assert ("pubspec.constraint", "warning", 13) in by_rule


def test_missing_pubspec_is_invalid(project):
    del project["pubspec.yaml"]
    assert "pubspec.invalid" in rules(analyze_project(project, None))


def test_route_to_undeclared_screen_is_found(project):
    project[ROUTER] = project[ROUTER].replace("const SettingsScreen()", "const PreferencesScreen()")
    (finding,) = only(analyze_project(project, None), "route.missing_screen")
    assert finding.file == ROUTER and finding.line == 21 and "PreferencesScreen" in finding.message


def test_spec_screen_without_file_or_route_is_found(project, spec):
    del project[SETTINGS]
    project[ROUTER] = project[ROUTER].replace("path: AppRoutes.settings", "path: '/preferences'")
    messages = [f.message for f in only(analyze_project(project, spec), "route.missing_screen")]
    assert any(SETTINGS in m and "does not exist" in m for m in messages)
    assert any("no GoRoute serves /settings" in m for m in messages)


def test_screen_without_test_is_found(project, spec):
    del project["test/features/settings/ui/settings_screen_test.dart"]
    for known in (spec, None):
        (finding,) = only(analyze_project(project, known), "screen.missing_test")
        assert finding.file == "test/features/settings/ui/settings_screen_test.dart"
        assert "SettingsScreen" in finding.message


def test_naming_rules_for_files_and_types(project):
    project["lib/features/notes/ui/NoteCard.dart"] = "class note_card {}\n"
    findings = analyze_project(project, None)
    assert [(f.file, f.severity) for f in only(findings, "naming.file")] == [
        ("lib/features/notes/ui/NoteCard.dart", "warning")]
    assert [(f.line, f.severity) for f in only(findings, "naming.type")] == [(1, "warning")]


def test_leftover_placeholders_are_found(project):
    project[SETTINGS] = project[SETTINGS].replace(
        "body: const Center(child: Text('Settings')),",
        "// TODO: real settings\n      body: const Placeholder(),",
    )
    findings = only(analyze_project(project, None), "placeholder.leftover")
    assert [(f.line, f.severity) for f in findings] == [(10, "warning"), (11, "error")]


def test_entry_without_run_app_is_found(project):
    project["lib/main.dart"] = "import 'package:flutter/material.dart';\n\nvoid main() {}\n"
    (finding,) = only(analyze_project(project, None), "entry.missing_run_app")
    assert finding.file == "lib/main.dart" and finding.severity == "error"


def _fake_flutter(directory: Path) -> None:
    """A `flutter` stand-in printing what the real tool prints for one analyzer error and one failing test."""
    script = directory / "flutter"
    script.write_text(
        "#!/bin/sh\n"
        "case \"$1\" in\n"
        "  pub) exit 0 ;;\n"
        "  analyze) echo \"  error • Undefined name 'notes' • lib/app.dart:12:7 • undefined_identifier\"; exit 1 ;;\n"
        "  test) echo '00:02 +0 -1: test/features/notes/ui/note_list_screen_test.dart: NoteListScreen shows "
        "its title [E]'; exit 1 ;;\n"
        "esac\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_flutter_sdk_findings_are_folded_in_when_flutter_is_on_path(project, tmp_path, monkeypatch):
    _fake_flutter(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    findings = analyze_project(project, None)
    assert [(f.rule, f.file, f.line, f.severity) for f in findings] == [
        ("flutter.analyze", "lib/app.dart", 12, "error"),
        ("flutter.test", "test/features/notes/ui/note_list_screen_test.dart", None, "error"),
    ]
    assert "undefined_identifier" in findings[0].message
