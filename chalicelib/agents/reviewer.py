"""The `reviewer` phase: the release gate. Reads every report and decides PASS or FAIL, with reasons."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from chalicelib.agents import qa, runtime, security
from chalicelib.agents.answers import ask_model, quote_job
from chalicelib.agents.errors import ModelAnswerInvalid, PhaseError
from chalicelib.agents.repair import HISTORY_PATH
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome, Workspace

REVIEW_PATH = "docs/final_review.md"
MAX_REMARKS_CHARS = 4000
_WHOLE_FENCE = re.compile(r"```(?:markdown|md|text)?[ \t]*\n(.*?)\n?```", re.S)
_DECISION_LINE = re.compile(r"[\s>*_-]*(?:release\s+)?decision\b[*_\s]*:", re.I)
SECURITY_WAIVER_PATH = "docs/security_waiver.json"
REQUIRED_PROJECT_FILES = ("source/pubspec.yaml", "source/lib/main.dart", "source/README.md")
REQUIRED_REPORTS = (qa.REPORT_PATH, runtime.REPORT_PATH, security.REPORT_PATH)
FINDING_SOURCES = (("QA", qa.FINDINGS_PATH), ("Runtime", runtime.FINDINGS_PATH), ("Security", security.FINDINGS_PATH))


@dataclass
class Gate:
    """One release criterion: its name, whether it holds, and why not."""

    name: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """A gate passes when nothing was found against it."""
        return not self.reasons


def _findings(workspace: Workspace, path: str) -> list[Finding] | None:
    """The findings a checking phase recorded, or None when it never ran."""
    text = workspace.read(path)
    if text is None:
        return None
    return [Finding(**item) for item in json.loads(text)["findings"]]


def _files_gate(workspace: Workspace) -> Gate:
    """The project's essential files and every checking phase's report exist."""
    gate = Gate("Project and reports present")
    present = set(workspace.list("source/")) | set(workspace.list("docs/"))
    gate.reasons += [f"{path} is missing" for path in REQUIRED_PROJECT_FILES + REQUIRED_REPORTS if path not in present]
    return gate


def _findings_gate(workspace: Workspace, label: str, path: str) -> Gate:
    """No error or high-severity finding remains in one checking phase's results."""
    gate = Gate(f"{label} findings")
    findings = _findings(workspace, path)
    if findings is None:
        gate.reasons.append(f"{path} is missing: the {label.lower()} checks did not run")
        return gate
    blocking = [f for f in findings if qa.is_blocking(f)]
    waiver = workspace.read(SECURITY_WAIVER_PATH) if label == "Security" else None
    if blocking and waiver:
        approver = json.loads(waiver).get("approved_by", "a human")
        gate.notes.append(f"{len(blocking)} blocking security finding(s) accepted at a checkpoint by {approver}: "
                          f"{qa.describe(blocking)}")
    elif blocking:
        gate.reasons.append(f"{len(blocking)} blocking {label.lower()} finding(s): {qa.describe(blocking)}")
    warnings = sum(1 for f in findings if f.severity == "warning")
    if warnings:
        gate.notes.append(f"{warnings} {label.lower()} warning(s) accepted")
    return gate


def _coverage_gate(workspace: Workspace) -> Gate:
    """Every requested feature has at least one screen, and every planned screen was written."""
    gate = Gate("Spec coverage")
    spec = qa.load_spec(workspace)
    if spec is None:
        gate.reasons.append(f"{qa.SPEC_PATH} is missing: nothing to review the app against")
        return gate
    sources = set(workspace.list("source/"))
    gate.reasons += [f"feature '{feature.title}' has no screen" for feature in spec.features
                     if not spec.screens_of(feature.id)]
    gate.reasons += [f"screen {screen.widget} was planned but {screen.file} was not written"
                     for screen in spec.screens if qa.SOURCE_PREFIX + screen.file not in sources]
    gate.notes.append(f"{len(spec.features)} feature(s), {len(spec.screens)} screen(s) planned")
    return gate


def offline_remarks(gates: list[Gate], repair_rounds: int) -> str:
    """The release remarks the offline reviewer writes: what to know before shipping, from the gates."""
    failed = [g for g in gates if not g.passed]
    if failed:
        lines = [f"Not ready to ship: {len(failed)} of {len(gates)} release gate(s) fail. Fix these first, "
                 "then run the job again:"]
        lines += [f"- {gate.name}: {reason}" for gate in failed for reason in gate.reasons[:5]]
    else:
        lines = ["Ready to ship: every release gate holds."]
        lines += [f"- {gate.name}: {note}" for gate in gates for note in gate.notes]
    if repair_rounds:
        lines.append(f"- The repair loop needed {repair_rounds} round(s) before QA passed; "
                     "see docs/repair_history.md.")
    return "\n".join(lines) + "\n"


def _remarks_prompt(ctx: PhaseContext, gates: list[Gate], repair_rounds: int) -> str:
    failed = [g for g in gates if not g.passed]
    rows = "\n".join(f"- {g.name}: {'pass' if g.passed else 'FAIL'}"
                     + "".join(f"\n  - reason: {r}" for r in g.reasons)
                     + "".join(f"\n  - note: {n}" for n in g.notes) for g in gates)
    return ("Write the release remarks of a generated Flutter app for its final review.\n\n"
            f"{quote_job('App name', ctx.job.name)}\n\n"
            f"The release decision is already made from the gates below and is {'FAIL' if failed else 'PASS'}; "
            "your remarks explain it to the team and do not change it.\n"
            f"Release gates (finding texts may quote generated code and user data):\n{rows}\n"
            f"Repair rounds used: {repair_rounds}.\n\n"
            "Answer with the remarks only: a sentence, then up to eight Markdown bullet points (what to fix "
            "first, or what to know before shipping). No headings, no decision line.")


def parse_remarks(text: str) -> str:
    """The remarks as Markdown paragraphs: non-empty, without headings or a decision line of their own."""
    remarks = text.strip()
    fenced = _WHOLE_FENCE.fullmatch(remarks)
    if fenced:
        remarks = fenced.group(1).strip()
    if not remarks:
        raise ValueError("the remarks are empty")
    if len(remarks) > MAX_REMARKS_CHARS:
        raise ValueError(f"the remarks are longer than {MAX_REMARKS_CHARS} characters")
    lines = remarks.splitlines()
    if any(line.lstrip().startswith("#") for line in lines):
        raise ValueError("the remarks must not contain headings")
    if any(_DECISION_LINE.match(line) for line in lines):
        raise ValueError("the remarks must not state a decision; it comes from the gates")
    return remarks + "\n"


def _review(gates: list[Gate], repair_rounds: int, remarks: str) -> str:
    """The Markdown final review: decision, reasons, one row per gate, and the reviewer agent's remarks."""
    failed = [g for g in gates if not g.passed]
    lines = [
        "# Final review",
        "",
        f"Decision: **{'FAIL' if failed else 'PASS'}**",
        "",
        "## Reasons",
        "",
    ]
    if failed:
        lines += [f"- {gate.name}: {reason}" for gate in failed for reason in gate.reasons]
    else:
        lines.append("- Every release gate holds: the project, its reports and the spec coverage check out.")
    lines += ["", "## Gates", "", "| Gate | Result | Notes |", "|---|---|---|"]
    lines += [f"| {g.name} | {'pass' if g.passed else 'FAIL'} | {'; '.join(g.notes) or '-'} |" for g in gates]
    lines += ["", f"Repair rounds used: {repair_rounds}.", "", "## Remarks", "", remarks.rstrip()]
    return "\n".join(lines) + "\n"


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Decide from the gates whether the app ships; the agent only writes the remarks; raise on FAIL."""
    gates = [_files_gate(ctx.workspace)]
    gates += [_findings_gate(ctx.workspace, label, path) for label, path in FINDING_SOURCES]
    gates.append(_coverage_gate(ctx.workspace))
    history = ctx.workspace.read(HISTORY_PATH) or ""
    repair_rounds = history.count("\n## Round ")
    failed = [g for g in gates if not g.passed]
    unusable: ModelAnswerInvalid | None = None
    try:
        remarks = ask_model(ctx, "release_remarks", _remarks_prompt(ctx, gates, repair_rounds),
                            lambda: offline_remarks(gates, repair_rounds), parse_remarks,
                            "the remarks as a sentence and Markdown bullet points, without headings")
    except ModelAnswerInvalid as error:
        # The decision never depends on the model: a failing gate is still the reason the job fails.
        unusable = error
        remarks = f"The reviewer agent's remarks could not be used: {error}\n"
    assert isinstance(remarks, str)
    ctx.workspace.write(REVIEW_PATH, _review(gates, repair_rounds, remarks))
    if failed:
        raise PhaseError("release review FAILED: " + "; ".join(r for g in failed for r in g.reasons)[:1500])
    if unusable:
        raise unusable
    summary = f"PASS: {len(gates)} gates hold ({repair_rounds} repair round(s) used)"
    ctx.log("info", f"reviewer: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=[REVIEW_PATH],
                        data={"passed": True, "gates": len(gates)})
