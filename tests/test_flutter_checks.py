"""Runtime (start-up, routes, reachability) and security checks on a hand-written Flutter project."""

from __future__ import annotations

import pytest

from chalicelib.flutter.runtime_checks import check_runtime, route_table
from chalicelib.flutter.security_checks import check_security, shannon_entropy
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import Finding
from tests.support.sample_flutter_app import sample_project, sample_spec

LIST = "lib/features/notes/ui/note_list_screen.dart"
DETAIL = "lib/features/notes/ui/note_detail_screen.dart"
SETTINGS = "lib/features/settings/ui/settings_screen.dart"
ROUTER = "lib/routing/router.dart"
REPOSITORY = "lib/features/notes/data/note_repository.dart"


def found(findings: list[Finding], rule: str) -> list[tuple[str | None, int | None, str]]:
    return [(f.file, f.line, f.severity) for f in findings if f.rule == rule]


@pytest.fixture
def project() -> dict[str, str]:
    return sample_project()


@pytest.fixture
def spec() -> ProductSpec:
    return ProductSpec.model_validate(sample_spec())


def test_route_table_computes_nested_paths_through_constants(project):
    table = route_table(project)
    assert table.initial_location == "/"
    assert sorted((r.path, r.screen) for r in table.routes) == [
        ("/", "NoteListScreen"), ("/notes/:id", "NoteDetailScreen"), ("/settings", "SettingsScreen")]


def test_clean_project_starts_and_reaches_every_screen(project, spec):
    assert check_runtime(project, spec) == []
    assert check_runtime(project, None) == []


def test_main_without_run_app_blocks_start(project):
    project["lib/main.dart"] = project["lib/main.dart"].replace("runApp(const ShelfNotesApp());", "")
    assert found(check_runtime(project, None), "entry.missing_run_app") == [("lib/main.dart", 1, "error")]


def test_builder_missing_a_required_argument_is_found(project):
    project[ROUTER] = project[ROUTER].replace("NoteDetailScreen(noteId: state.pathParameters['id']!)",
                                              "const NoteDetailScreen()")
    findings = check_runtime(project, None)
    assert found(findings, "runtime.route_args") == [(ROUTER, 15, "error")]
    assert "noteId" in next(f.message for f in findings if f.rule == "runtime.route_args")


def test_builder_reading_an_undeclared_path_parameter_is_found(project):
    project[ROUTER] = project[ROUTER].replace("state.pathParameters['id']!", "state.pathParameters['noteId']!")
    assert found(check_runtime(project, None), "runtime.route_param") == [(ROUTER, 15, "error")]


def test_screen_nobody_navigates_to_is_unreachable(project, spec):
    project[LIST] = project[LIST].replace("onTap: () => context.go('/notes/${'1'}'),", "onTap: () {},")
    for known in (spec, None):
        assert found(check_runtime(project, known), "runtime.unreachable_screen") == [(DETAIL, 3, "error")]


def test_navigation_to_a_path_no_route_serves_is_found(project):
    project[LIST] = project[LIST].replace("context.go('/notes/${'1'}')", "context.go('/note/1')")
    findings = check_runtime(project, None)
    assert found(findings, "runtime.unknown_route") == [(LIST, 23, "error")]
    assert found(findings, "runtime.unreachable_screen") == [(DETAIL, 3, "error")]


def test_screen_pushed_with_material_page_route_is_reachable(project):
    project[LIST] = project[LIST].replace(
        "onTap: () => context.go('/notes/${'1'}'),",
        "onTap: () => Navigator.of(context).push(\n"
        "          MaterialPageRoute(builder: (_) => const NoteDetailScreen(noteId: '1')),\n        ),",
    ).replace("import '../../../routing/routes.dart';",
              "import '../../../routing/routes.dart';\nimport 'note_detail_screen.dart';")
    assert check_runtime(project, None) == []


def test_initial_location_without_a_route_means_no_home(project):
    project[ROUTER] = project[ROUTER].replace("initialLocation: AppRoutes.notes", "initialLocation: '/start'")
    assert found(check_runtime(project, None), "runtime.no_home") == [("lib/main.dart", 1, "error")]


def test_clean_project_has_no_security_findings(project):
    assert check_security(project, project["README.md"]) == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("const awsAccessKey = 'AKIAIOSFODNN7EXAMPLE';", "secret.aws_key"),
        ("const openAiKey = 'sk-proj-4f9Qz7LmN2xR8tV1wY6bC3dE5gH0jK';", "secret.api_key"),
        ("const pem = '-----BEGIN RSA PRIVATE KEY-----';", "secret.private_key"),
        ("const adminPassword = 'hunter2!';", "secret.password_literal"),
        ("static const String apiKey = 'a8f5f167f44f4964e6c998dee827110c';", "secret.high_entropy"),
    ],
)
def test_planted_secret_is_flagged_high(project, line, rule):
    project[REPOSITORY] += f"\nclass Secrets {{\n  {line}\n}}\n"
    secret_line = project[REPOSITORY].splitlines().index(f"  {line}") + 1
    findings = check_security(project, project["README.md"])
    assert found(findings, rule) == [(REPOSITORY, secret_line, "high")]


def test_labels_and_plain_words_are_not_secrets(project):
    project[SETTINGS] += ("\nconst passwordLabel = 'Password';\nconst tokenHint = 'Paste your token';\n"
                          "const title = 'Shelf Notes for everyone';\n")
    assert check_security(project, project["README.md"]) == []
    assert shannon_entropy("aaaaaaaaaaaaaaaa") == 0.0


def test_password_literal_in_a_test_is_only_a_warning(project):
    path = "test/features/notes/ui/note_list_screen_test.dart"
    project[path] += "\nconst password = 'secret-fixture';\n"
    assert found(check_security(project, project["README.md"]), "secret.password_literal")[0][2] == "warning"


def test_cleartext_http_is_an_error_except_for_local_hosts(project):
    project[REPOSITORY] += ("\nconst apiBase = 'http://api.example.com/v1';\n"
                            "const emulatorBase = 'http://10.0.2.2:8080';\n")
    findings = check_security(project, project["README.md"])
    assert [(f.severity, "example.com" in f.message) for f in findings if f.rule == "transport.cleartext"] == [
        ("error", True), ("warning", False)]


def test_token_in_shared_preferences_and_logged_credentials_are_found(project):
    project[REPOSITORY] += """
Future<void> remember(SharedPreferences prefs, String token, String password) async {
  await prefs.setString('auth_token', token);
  debugPrint('signed in with password $password');
}
"""
    findings = check_security(project, project["README.md"])
    assert [f.severity for f in findings if f.rule == "storage.token_in_prefs"] == ["error"]
    assert [f.severity for f in findings if f.rule == "logging.credentials"] == ["error"]


def test_form_field_without_validator_is_a_warning(project):
    project[SETTINGS] += """
Widget nameForm() => Form(
      child: Column(children: [
        TextFormField(decoration: const InputDecoration(labelText: 'Name')),
        TextFormField(validator: (value) => value == null || value.isEmpty ? 'Required' : null),
      ]),
    );
"""
    assert found(check_security(project, project["README.md"]), "form.missing_validator") == [
        (SETTINGS, 17, "warning")]


def test_permission_used_must_be_declared_in_the_platform_notes(project):
    project["pubspec.yaml"] += "  image_picker: ^1.1.2\n"
    project[SETTINGS] = ("import 'package:image_picker/image_picker.dart';\n" + project[SETTINGS]
                         + "\nfinal source = ImageSource.camera;\n")
    assert found(check_security(project, project["README.md"]), "permission.undeclared") == [
        (SETTINGS, None, "error")]
    notes = project["README.md"] + "\nThe app asks for the camera to photograph shelves (NSCameraUsageDescription).\n"
    assert check_security(project, notes) == []


def test_navigation_through_a_route_helper_is_followed(project):
    project["lib/routing/routes.dart"] = project["lib/routing/routes.dart"].replace(
        "}\n", "  static String noteFor(String id) => '/notes/$id';\n}\n")
    project[LIST] = project[LIST].replace("context.go('/notes/${'1'}')", "context.push(AppRoutes.noteFor('1'))")
    assert check_runtime(project, None) == []
    project["lib/routing/routes.dart"] = project["lib/routing/routes.dart"].replace("'/notes/$id'", "'/note/$id'")
    assert found(check_runtime(project, None), "runtime.unknown_route") == [(LIST, 23, "error")]


def test_data_driven_navigation_reaches_the_route_constants_it_lists(project):
    project[LIST] = project[LIST].replace(
        "onPressed: () => context.push(AppRoutes.settings),",
        "onPressed: () => context.push(_destinations.first),",
    ) + "\nconst _destinations = [AppRoutes.settings];\n"
    assert check_runtime(project, None) == []
    project[LIST] = project[LIST].replace("const _destinations = [AppRoutes.settings];",
                                          "const _destinations = <String>[];")
    assert found(check_runtime(project, None), "runtime.unreachable_screen") == [(SETTINGS, 3, "error")]
