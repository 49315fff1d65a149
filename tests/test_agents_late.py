"""The checking phases (qa, refactor, repair, runtime, security, reviewer, export) on an in-memory workspace."""

from __future__ import annotations

import io
import json
import sys
import types
import zipfile
from collections.abc import Callable

import pytest

from chalicelib.agents import export, qa, refactor, repair, reviewer, runtime, security
from chalicelib.agents.errors import PhaseError, QualityGateFailed
from chalicelib.domain.spec import JobSpec
from chalicelib.pipeline.context import Finding, PhaseContext
from tests.support.memory_workspace import MemoryWorkspace, OfflineLLM
from tests.support.sample_flutter_app import sample_project, sample_spec

DETAIL = "lib/features/notes/ui/note_detail_screen.dart"
SETTINGS = "lib/features/settings/ui/settings_screen.dart"
REPOSITORY = "lib/features/notes/data/note_repository.dart"


class FakeDev:
    """Stands in for the dev agent's `regenerate_files`: answers from a script and records each request."""

    def __init__(self, answer: Callable[[list[str]], dict[str, str]]) -> None:
        self.answer = answer
        self.requests: list[tuple[list[str], list[Finding]]] = []

    def regenerate_files(self, ctx: PhaseContext, paths: list[str], findings: list[Finding]) -> dict[str, str]:
        self.requests.append((list(paths), list(findings)))
        return self.answer(paths)


def workspace_with(files: dict[str, str]) -> MemoryWorkspace:
    workspace = MemoryWorkspace()
    for path, text in files.items():
        workspace.write(f"source/{path}", text)
    workspace.write("docs/product_spec.json", json.dumps(sample_spec()))
    workspace.write("docs/requirements.md", "# Requirements\n")
    return workspace


def context(workspace: MemoryWorkspace, phase: str, attempt: int = 1, max_repair_attempts: str = "3") -> PhaseContext:
    job = JobSpec(slug="shelf-notes", team_id="team-a", name="Shelf Notes", description="Keep track of your shelf.")
    logs: list[tuple[str, str]] = []
    return PhaseContext(job=job, phase=phase, agent_id=f"{phase}_agent", attempt=attempt, workspace=workspace,
                        llm=OfflineLLM(), settings={"max_repair_attempts": max_repair_attempts},
                        log=lambda level, message: logs.append((level, message)))


def install_dev(monkeypatch: pytest.MonkeyPatch, dev: FakeDev) -> None:
    module = types.ModuleType("chalicelib.agents.dev")
    module.regenerate_files = dev.regenerate_files  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "chalicelib.agents.dev", module)


def break_detail(files: dict[str, str]) -> tuple[dict[str, str], int]:
    """The project with a missing semicolon planted in the detail screen, and the line it is on."""
    broken = dict(files)
    lines = broken[DETAIL].splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "final String noteId;" in text)
    lines[line - 1] = "  final String noteId"
    broken[DETAIL] = "\n".join(lines) + "\n"
    return broken, line


def recorded(workspace: MemoryWorkspace) -> list[dict]:
    return json.loads(workspace.read(qa.FINDINGS_PATH))["findings"]


def test_qa_passes_a_clean_project_and_writes_its_report():
    workspace = workspace_with(sample_project())
    outcome = qa.run(context(workspace, "qa"))
    assert outcome.data == {"passed": True, "errors": 0, "warnings": 0}
    assert recorded(workspace) == []
    assert "PASSED" in workspace.read(qa.REPORT_PATH)


def test_qa_finds_planted_parse_error_and_unresolved_import_with_file_and_line():
    files, broken_line = break_detail(sample_project())
    files[SETTINGS] = "import '../data/settings_store.dart';\n" + files[SETTINGS]
    workspace = workspace_with(files)
    outcome = qa.run(context(workspace, "qa"))
    assert outcome.data["passed"] is False and outcome.data["errors"] >= 2
    located = {(f["rule"], f["file"], f["line"]) for f in recorded(workspace)}
    assert ("dart.parse_error", DETAIL, broken_line) in located
    assert ("import.unresolved", SETTINGS, 1) in located
    report = workspace.read(qa.REPORT_PATH)
    assert "FAILED" in report and "`dart.parse_error`" in report and DETAIL in report


def test_qa_without_a_project_fails():
    with pytest.raises(PhaseError, match="source/"):
        qa.run(context(MemoryWorkspace(), "qa"))


def test_refactor_removes_unused_imports_sorts_and_tidies():
    files = sample_project()
    files[SETTINGS] = ("import 'package:flutter/material.dart';   \n"
                       "import '../../notes/domain/note.dart';\nimport 'dart:async' as async;\n"
                       + files[SETTINGS].removeprefix("import 'package:flutter/material.dart';\n") + "\n\n\n")
    files["lib/routing/router.dart"] = files["lib/routing/router.dart"].replace(
        "import 'package:go_router/go_router.dart';\n\n", "").replace(
        "import 'routes.dart';", "import 'routes.dart';\nimport 'package:go_router/go_router.dart';")
    workspace = workspace_with(files)
    qa.run(context(workspace, "qa"))
    outcome = refactor.run(context(workspace, "refactor"))
    assert outcome.data == {"passed": True, "errors": 0, "warnings": 0}
    assert workspace.read(f"source/{SETTINGS}") == sample_project()[SETTINGS]
    assert workspace.read("source/lib/routing/router.dart").startswith(
        "import 'package:go_router/go_router.dart';\n\nimport '../features/notes/ui/note_detail_screen.dart';")
    report = workspace.read(refactor.REPORT_PATH)
    assert SETTINGS in report and "removed unused imports" in report and "sorted imports" in report
    assert recorded(workspace) == []


def test_refactor_leaves_a_clean_project_unchanged():
    workspace = workspace_with(sample_project())
    outcome = refactor.run(context(workspace, "refactor"))
    assert [p for p in outcome.outputs if p.startswith("source/")] == []
    assert "Nothing needed changing." in workspace.read(refactor.REPORT_PATH)


def test_repair_fixes_an_injected_fault_and_the_result_passes(monkeypatch):
    pristine = sample_project()
    files, _ = break_detail(pristine)
    workspace = workspace_with(files)
    assert qa.run(context(workspace, "qa")).data["passed"] is False
    dev = FakeDev(lambda paths: {path: pristine[path] for path in paths})
    install_dev(monkeypatch, dev)
    outcome = repair.run(context(workspace, "repair", attempt=1))
    assert outcome.data == {"passed": True, "errors": 0, "warnings": 0}
    assert [paths for paths, _ in dev.requests] == [[DETAIL]]
    assert all(f.file == DETAIL for f in dev.requests[0][1])
    assert workspace.read(f"source/{DETAIL}") == pristine[DETAIL]
    assert recorded(workspace) == []
    assert "## Round 1 of 3" in workspace.read(repair.HISTORY_PATH)


def test_repair_that_cannot_fix_fails_after_exactly_max_repair_attempts_rounds(monkeypatch):
    files, broken_line = break_detail(sample_project())
    workspace = workspace_with(files)
    qa.run(context(workspace, "qa"))
    dev = FakeDev(lambda paths: {path: files[path] for path in paths})
    install_dev(monkeypatch, dev)
    for attempt in (1, 2):
        assert repair.run(context(workspace, "repair", attempt=attempt)).data["passed"] is False
    with pytest.raises(QualityGateFailed) as failure:
        repair.run(context(workspace, "repair", attempt=3))
    assert len(dev.requests) == 3
    assert "after 3 repair round(s)" in str(failure.value)
    assert f"{DETAIL}:{broken_line} dart.parse_error" in str(failure.value)
    assert workspace.read(repair.HISTORY_PATH).count("## Round ") == 3


def test_repair_with_no_budget_fails_at_once(monkeypatch):
    files, _ = break_detail(sample_project())
    workspace = workspace_with(files)
    qa.run(context(workspace, "qa"))
    dev = FakeDev(lambda paths: {})
    install_dev(monkeypatch, dev)
    with pytest.raises(QualityGateFailed, match="dart.parse_error"):
        repair.run(context(workspace, "repair", attempt=1, max_repair_attempts="0"))
    assert dev.requests == []


def test_repair_ignores_files_no_finding_pointed_at(monkeypatch):
    pristine = sample_project()
    files, _ = break_detail(pristine)
    workspace = workspace_with(files)
    qa.run(context(workspace, "qa"))
    install_dev(monkeypatch, FakeDev(lambda paths: {DETAIL: pristine[DETAIL], "lib/main.dart": "broken"}))
    repair.run(context(workspace, "repair"))
    assert workspace.read("source/lib/main.dart") == pristine["lib/main.dart"]


def test_runtime_passes_a_startable_app_and_fails_one_that_cannot_start():
    workspace = workspace_with(sample_project())
    outcome = runtime.run(context(workspace, "runtime"))
    assert outcome.data["passed"] is True
    assert "| Reachability | every screen is reachable from the home screen | pass |" in workspace.read(
        runtime.REPORT_PATH)
    files = sample_project()
    files["lib/main.dart"] = files["lib/main.dart"].replace("runApp(const ShelfNotesApp());", "")
    workspace = workspace_with(files)
    with pytest.raises(PhaseError, match="cannot start.*entry.missing_run_app"):
        runtime.run(context(workspace, "runtime"))
    assert "FAIL" in workspace.read(runtime.REPORT_PATH)


def test_security_flags_a_planted_secret_high_and_fails():
    files = sample_project()
    files[REPOSITORY] += "\nconst awsAccessKey = 'AKIAIOSFODNN7EXAMPLE';\n"
    workspace = workspace_with(files)
    with pytest.raises(PhaseError, match=f"{REPOSITORY}:\\d+ secret.aws_key"):
        security.run(context(workspace, "security"))
    stored = json.loads(workspace.read(security.FINDINGS_PATH))["findings"]
    assert [(f["rule"], f["severity"]) for f in stored] == [("secret.aws_key", "high")]
    assert "Decision: **FAIL**" in workspace.read(security.REPORT_PATH)


def run_checks(workspace: MemoryWorkspace) -> None:
    for phase in (qa, refactor, runtime, security):
        phase.run(context(workspace, phase.__name__.rsplit(".", 1)[-1]))


def test_reviewer_passes_when_every_report_is_clean():
    workspace = workspace_with(sample_project())
    run_checks(workspace)
    outcome = reviewer.run(context(workspace, "reviewer"))
    assert outcome.data["passed"] is True
    assert "Decision: **PASS**" in workspace.read(reviewer.REVIEW_PATH)


def test_reviewer_fails_on_remaining_runtime_errors_and_names_them():
    files = sample_project()
    files["lib/features/notes/ui/note_list_screen.dart"] = files["lib/features/notes/ui/note_list_screen.dart"].replace(
        "onTap: () => context.go('/notes/${'1'}'),", "onTap: () {},")
    workspace = workspace_with(files)
    run_checks(workspace)
    with pytest.raises(PhaseError, match="runtime.unreachable_screen"):
        reviewer.run(context(workspace, "reviewer"))
    review = workspace.read(reviewer.REVIEW_PATH)
    assert "Decision: **FAIL**" in review and "| Runtime findings | FAIL |" in review


def test_reviewer_fails_when_reports_are_missing():
    workspace = workspace_with(sample_project())
    with pytest.raises(PhaseError, match="docs/test_report.md is missing"):
        reviewer.run(context(workspace, "reviewer"))


def test_export_zips_source_and_docs_deterministically():
    workspace = workspace_with(sample_project())
    run_checks(workspace)
    outcome = export.run(context(workspace, "export"))
    (key,) = outcome.outputs
    archive = workspace.read_bytes(key)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        assert opened.read("source/pubspec.yaml").decode() == sample_project()["pubspec.yaml"]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in opened.infolist())
    assert "source/pubspec.yaml" in names and "docs/test_report.md" in names and export.REPORT_PATH in names
    assert names == sorted(names) and all(n.startswith(("source/", "docs/")) for n in names)
    report = workspace.read(export.REPORT_PATH)
    assert f"| source/pubspec.yaml | {len(sample_project()['pubspec.yaml'].encode())} |" in report
    export.run(context(workspace, "export"))
    assert workspace.read_bytes(key) == archive


def test_quality_loop_end_to_end_repairs_then_ships(monkeypatch):
    pristine = sample_project()
    files, _ = break_detail(pristine)
    workspace = workspace_with(files)
    install_dev(monkeypatch, FakeDev(lambda paths: {path: pristine[path] for path in paths}))
    assert qa.run(context(workspace, "qa")).data["passed"] is False
    assert refactor.run(context(workspace, "refactor")).data["passed"] is False
    assert repair.run(context(workspace, "repair", attempt=1)).data["passed"] is True
    for phase in (runtime, security, reviewer):
        assert phase.run(context(workspace, phase.__name__.rsplit(".", 1)[-1])).status == "passed"
    key = export.run(context(workspace, "export")).outputs[0]
    with zipfile.ZipFile(io.BytesIO(workspace.read_bytes(key))) as opened:
        assert "docs/repair_history.md" in opened.namelist()
        assert "docs/final_review.md" in opened.namelist()


EXAMPLES = ("pantry-saver", "deals-finder", "clinic-booking", "chi-tieu-gia-dinh")


def generated_workspace(example: str) -> tuple[MemoryWorkspace, dict[str, str]]:
    """A workspace holding the project the generator writes for one of the shared example requests."""
    from pathlib import Path

    features = pytest.importorskip("chalicelib.flutter.features")
    generator = pytest.importorskip("chalicelib.flutter.generator")
    request_file = Path(__file__).resolve().parents[2] / "shared" / "examples" / "requests" / f"{example}.json"
    if not request_file.exists():
        pytest.skip("the shared example requests are not available")
    request = json.loads(request_file.read_text(encoding="utf-8"))
    for key in ("platform", "features"):
        if isinstance(request.get(key), str):
            request[key] = [part.strip() for part in request[key].split(",") if part.strip()]
    spec = features.build_product_spec(JobSpec(slug=example, team_id="team-a", **request))
    files = generator.generate_project(spec)
    workspace = MemoryWorkspace()
    for path, text in files.items():
        workspace.write(f"source/{path}", text)
    workspace.write("docs/product_spec.json", spec.model_dump_json())
    return workspace, files


@pytest.mark.parametrize("example", EXAMPLES)
def test_generated_example_app_passes_every_check_and_ships(example):
    workspace, _ = generated_workspace(example)
    assert qa.run(context(workspace, "qa")).data["passed"] is True, recorded(workspace)
    for phase in (refactor, runtime, security, reviewer):
        assert phase.run(context(workspace, phase.__name__.rsplit(".", 1)[-1])).status == "passed"
    assert export.run(context(workspace, "export")).data["files"] > 20


def test_fault_in_a_generated_app_is_found_and_repaired_by_the_dev_agent():
    dev = pytest.importorskip("chalicelib.agents.dev")
    if not hasattr(dev, "regenerate_files"):
        pytest.skip("the dev agent has no regenerate_files yet")
    workspace, files = generated_workspace("pantry-saver")
    target = next(path for path in sorted(files) if path.endswith("_list_screen.dart"))
    workspace.write(f"source/{target}", files[target].replace(";", "", 1))
    assert qa.run(context(workspace, "qa")).data["passed"] is False
    assert any(f["file"] == target and f["rule"] == "dart.parse_error" for f in recorded(workspace))
    assert repair.run(context(workspace, "repair", attempt=1)).data["passed"] is True
    assert recorded(workspace) == []
