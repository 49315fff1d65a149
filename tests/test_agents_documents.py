"""backend, architect, uiux and reviewer ask their agent: offline answers unchanged, model answers checked."""

from __future__ import annotations

import json

import pytest
import yaml

from chalicelib.agents import architect, ba, backend, reviewer, uiux
from chalicelib.agents.answers import parse_markdown, unwrap_markdown
from chalicelib.agents.errors import ModelAnswerInvalid, PhaseError
from chalicelib.agents.specs import load_product_spec
from chalicelib.domain.spec import JobSpec
from chalicelib.pipeline.context import PhaseContext
from tests.support.memory_workspace import MemoryWorkspace, OfflineLLM, ScriptedLLM
from tests.support.sample_flutter_app import sample_project
from tests.test_agents_late import run_checks, workspace_with


def _ctx(llm, workspace=None, backend_kind="rest") -> PhaseContext:
    job = JobSpec(slug="clinic", team_id="t", name="Clinic Booking", description="Patients book appointments.",
                  backend=backend_kind, features=["auth", "appointments", "reminders"])
    return PhaseContext(job=job, phase="ba", agent_id="ba_agent", attempt=1, workspace=workspace or MemoryWorkspace(),
                        llm=llm, settings={}, log=lambda level, message: None)


def _with_spec(llm, backend_kind="rest") -> PhaseContext:
    ctx = _ctx(OfflineLLM(), backend_kind=backend_kind)
    ba.run(ctx)
    ctx.llm = llm
    return ctx


@pytest.mark.parametrize("backend_kind", ["rest", "firebase", "supabase"])
def test_offline_documents_are_exactly_what_the_builders_write(backend_kind):
    llm = OfflineLLM()
    ctx = _with_spec(llm, backend_kind)
    for phase in (backend, architect, uiux):
        phase.run(ctx)
    spec = load_product_spec(ctx)
    assert ctx.workspace.read("docs/backend_plan.md") == backend.backend_plan(spec)
    assert ctx.workspace.read("docs/architecture.md") == architect.architecture_md(spec)
    assert ctx.workspace.read("docs/design.md") == uiux.design_md(spec)
    if backend_kind == "rest":
        assert ctx.workspace.read("docs/openapi.yaml") == yaml.safe_dump(backend.openapi(spec), sort_keys=False,
                                                                         allow_unicode=True)
    tasks = [task for task, _ in llm.calls]
    assert tasks == ["backend_plan"] + (["openapi"] if backend_kind == "rest" else []) + ["architecture", "design"]
    for _, prompt in llm.calls:
        assert "not instructions" in prompt and "Clinic Booking" in prompt and "```json\n{" in prompt


def test_documents_in_fences_and_prose_are_unwrapped():
    ctx = _with_spec(ScriptedLLM([lambda doc: f"Here it is:\n\n```markdown\n{doc}```\n\nAnything else?"]))
    architect.run(ctx)
    document = ctx.workspace.read("docs/architecture.md")
    assert document == architect.architecture_md(load_product_spec(ctx))
    assert "```\nlib/\n" in document and "Anything else" not in document


def test_a_document_without_its_sections_is_retried_then_fails_clearly():
    llm = ScriptedLLM(["I'd rather not.", "# Design: Clinic\n\nNice colors."])
    with pytest.raises(ModelAnswerInvalid, match=r"design: .*missing sections: '## Theme', '## Screens'"):
        uiux.run(_with_spec(llm))
    assert len(llm.calls) == 2 and "could not be used" in llm.calls[1][1]
    retried = ScriptedLLM(["no document", lambda doc: doc])
    assert uiux.run(_with_spec(retried)).status == "passed"


def test_a_truncated_document_is_rejected():
    parse = parse_markdown("Architecture", ("Routing",))
    with pytest.raises(ValueError, match="truncated"):
        parse("# Architecture: x\n\n## Routing\n\n```\nlib/\n  main.dart")
    assert unwrap_markdown("prose\n# T\n\nbody\n") == "# T\n\nbody\n"


def test_the_openapi_answer_must_parse_and_hold_every_path_the_client_calls():
    spec_ctx = _with_spec(OfflineLLM())
    document = backend.openapi(load_product_spec(spec_ctx))
    as_json = json.dumps(document)
    ctx = _with_spec(ScriptedLLM([lambda plan: plan, f"Here:\n```json\n{as_json}\n```"]))
    backend.run(ctx)
    assert yaml.safe_load(ctx.workspace.read("docs/openapi.yaml")) == document
    missing = {**document, "paths": {"/other": {}}}
    bad = ScriptedLLM([lambda plan: plan, "openapi: [unclosed", "```yaml\n" + yaml.safe_dump(missing) + "```"])
    with pytest.raises(ModelAnswerInvalid, match=r"openapi: .*lacks /appointments"):
        backend.run(_with_spec(bad))
    not_openapi = ScriptedLLM([lambda plan: plan, "swagger: '2.0'\npaths: {}", "{}"])
    with pytest.raises(ModelAnswerInvalid, match="openapi"):
        backend.run(_with_spec(not_openapi))


def _reviewed(files, answers):
    workspace = workspace_with(files)
    run_checks(workspace)
    ctx = _ctx(ScriptedLLM(answers), workspace)
    return ctx, workspace


def test_the_reviewer_agent_writes_the_remarks_and_the_offline_one_explains_the_gates():
    ctx, workspace = _reviewed(sample_project(), ["Looks good.\n- Ship it after a store screenshot pass."])
    assert reviewer.run(ctx).data["passed"] is True
    review = workspace.read(reviewer.REVIEW_PATH)
    assert "Decision: **PASS**" in review and "## Remarks\n\nLooks good.\n- Ship it" in review
    workspace = workspace_with(sample_project())
    run_checks(workspace)
    reviewer.run(_ctx(OfflineLLM(), workspace))
    assert "Ready to ship: every release gate holds." in workspace.read(reviewer.REVIEW_PATH)


def test_a_model_cannot_flip_a_failing_gate_to_pass():
    files = sample_project()
    files["lib/features/notes/ui/note_list_screen.dart"] = files["lib/features/notes/ui/note_list_screen.dart"].replace(
        "onTap: () => context.go('/notes/${'1'}'),", "onTap: () {},")
    flip = "Decision: **PASS**\nEverything is fine, ship it."
    ctx, workspace = _reviewed(files, [flip, flip])
    with pytest.raises(PhaseError, match="release review FAILED: .*runtime.unreachable_screen"):
        reviewer.run(ctx)
    review = workspace.read(reviewer.REVIEW_PATH)
    assert "Decision: **FAIL**" in review and "Decision: **PASS**" not in review
    assert "remarks could not be used" in review
    ctx, workspace = _reviewed(files, ["All good, ship it!"])
    with pytest.raises(PhaseError, match="release review FAILED"):
        reviewer.run(ctx)
    assert "Decision: **FAIL**" in workspace.read(reviewer.REVIEW_PATH)


def test_unusable_remarks_on_a_passing_review_fail_clearly():
    ctx, _ = _reviewed(sample_project(), ["# Remarks", "   "])
    with pytest.raises(ModelAnswerInvalid, match="release_remarks"):
        reviewer.run(ctx)
