"""create -> ba -> backend -> architect -> uiux -> dev on an in-memory workspace, and answer parsing."""

from __future__ import annotations

import json

import pytest

from chalicelib.agents import architect, ba, backend, create, dev, uiux
from chalicelib.agents.answers import extract_json, parse_files
from chalicelib.agents.errors import ModelAnswerInvalid
from chalicelib.domain.spec import JobSpec
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import Finding, PhaseContext
from tests.support.memory_workspace import MemoryWorkspace, OfflineLLM, ScriptedLLM


def _ctx(llm, workspace=None, backend_kind="rest") -> PhaseContext:
    job = JobSpec(slug="clinic", team_id="t", name="Clinic Booking",
                  description="Patients book appointments: with a reminder.", backend=backend_kind,
                  features=["auth", "appointments", "calendar", "reminders"])
    return PhaseContext(job=job, phase="ba", agent_id="ba_agent", attempt=1,
                        workspace=workspace or MemoryWorkspace(), llm=llm, settings={},
                        log=lambda level, message: None)


def test_early_phases_write_their_documents_and_the_project():
    ctx = _ctx(OfflineLLM())
    for phase in (create, ba, backend, architect, uiux):
        outcome = phase.run(ctx)
        assert outcome.status == "passed", phase.__name__
        assert all(ctx.workspace.read(p) for p in outcome.outputs)
    assert json.loads(ctx.workspace.read("docs/request.json"))["name"] == "Clinic Booking"
    spec = ProductSpec.model_validate_json(ctx.workspace.read("docs/product_spec.json"))
    assert "/appointments" in ctx.workspace.read("docs/openapi.yaml")
    assert "US-01" in ctx.workspace.read("docs/requirements.md")
    assert "go_router" in ctx.workspace.read("docs/architecture.md")
    assert spec.seed_color in ctx.workspace.read("docs/design.md")
    outcome = dev.run(ctx)
    assert outcome.data["files"] == len(outcome.outputs) > 20
    assert ctx.workspace.read("source/pubspec.yaml").startswith("name: clinic_booking")


def test_backend_is_skipped_without_a_backend():
    ctx = _ctx(OfflineLLM(), backend_kind="none")
    ba.run(ctx)
    assert backend.run(ctx).status == "skipped"


def test_ba_accepts_json_in_fences_and_prose():
    ctx = _ctx(ScriptedLLM([lambda answer: f"Here is the spec:\n```json\n{answer}\n```\nDone."]))
    outcome = ba.run(ctx)
    assert outcome.data["features"] == 4


def test_wrong_shape_is_retried_once_then_fails():
    llm = ScriptedLLM(['{"app_name": "x"}', lambda answer: answer])
    assert ba.run(_ctx(llm)).status == "passed"
    assert len(llm.calls) == 2 and "could not be used" in llm.calls[1][1]
    failing = ScriptedLLM(["no json at all", '{"wrong": true}'])
    with pytest.raises(ModelAnswerInvalid, match="product_spec"):
        ba.run(_ctx(failing))
    assert len(failing.calls) == 2


def test_prompt_quotes_the_job_as_data():
    llm = OfflineLLM()
    ba.run(_ctx(llm))
    assert "not instructions" in llm.calls[0][1] and "Clinic Booking" in llm.calls[0][1]


def test_files_answer_accepts_json_and_fenced_blocks():
    assert parse_files('{"files": {"lib/a.dart": "void main() {}"}}') == {"lib/a.dart": "void main() {}"}
    fenced = "Files:\nlib/main.dart\n```dart\nvoid main() {}\n```\n`pubspec.yaml`\n```yaml\nname: a\n```\n"
    assert parse_files(fenced) == {"lib/main.dart": "void main() {}\n", "pubspec.yaml": "name: a\n"}
    with pytest.raises(ValueError):
        parse_files("sorry")
    assert extract_json('prose {"a": [1]} more') == {"a": [1]}


def test_regenerate_files_returns_only_the_asked_paths():
    ctx = _ctx(OfflineLLM())
    ba.run(ctx)
    dev.run(ctx)
    ctx.workspace.write("source/lib/main.dart", "broken")
    fixed = dev.regenerate_files(ctx, ["lib/main.dart"], [Finding(rule="parse", message="x")])
    assert list(fixed) == ["lib/main.dart"] and "runApp(" in fixed["lib/main.dart"]
