"""The `repair` phase: one round of the bounded repair loop. The dev agent rewrites the files QA faults."""

from __future__ import annotations

from chalicelib.agents import qa
from chalicelib.agents.errors import QualityGateFailed
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome

HISTORY_PATH = "docs/repair_history.md"
DEFAULT_MAX_ATTEMPTS = "5"
_REPAIRABLE_SUFFIXES = (".dart", ".yaml", ".md", ".json")
HISTORY_ROW_LIMIT = 30


def max_attempts(ctx: PhaseContext) -> int:
    """The repair budget from the platform settings (`max_repair_attempts`)."""
    return int(ctx.settings.get("max_repair_attempts", DEFAULT_MAX_ATTEMPTS))


def files_to_repair(findings: list[Finding], sources: dict[str, str]) -> list[str]:
    """The files (relative to source/) that blocking findings point at, existing or to be created."""
    paths = {
        f.file for f in findings
        if qa.is_blocking(f) and f.file and (f.file in sources or f.file.endswith(_REPAIRABLE_SUFFIXES))
    }
    return sorted(paths)


def _gate_message(findings: list[Finding], rounds: int) -> str:
    """Why the quality gate stops the job: how many blocking findings remain and the first few."""
    blocking = [f for f in findings if qa.is_blocking(f)]
    return (f"{len(blocking)} blocking finding(s) remain after {rounds} repair round(s): "
            f"{qa.describe(blocking)}")


def _history_entry(attempt: int, budget: int, rewritten: list[str], before: dict, findings: list[Finding]) -> str:
    """One round of the repair history in Markdown."""
    after = qa.quality_data(findings)
    lines = [
        f"## Round {attempt} of {budget}",
        "",
        f"- Files rewritten by the dev agent: {', '.join(rewritten) if rewritten else 'none'}",
        (f"- Errors: {before['errors']} before, {after['errors']} after; "
        f"warnings: {before['warnings']} before, {after['warnings']} after"),
        f"- Result: {'PASSED' if after['passed'] else 'still failing'}",
        "",
    ]
    blocking = [f for f in findings if qa.is_blocking(f)]
    if blocking:
        lines += ["| File | Line | Rule | Message |", "|---|---|---|---|"]
        lines += [f"| {f.file or '-'} | {f.line or '-'} | `{f.rule}` | {f.message.replace('|', '/')} |"
                  for f in blocking[:HISTORY_ROW_LIMIT]]
        lines.append("")
    return "\n".join(lines) + "\n"


def _append_history(ctx: PhaseContext, entry: str) -> None:
    """Add a round to docs/repair_history.md, creating it with a title the first time."""
    current = ctx.workspace.read(HISTORY_PATH) or "# Repair history\n\n"
    ctx.workspace.write(HISTORY_PATH, current + entry)


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Round `ctx.attempt`: rewrite the faulty files, re-analyse, and stop the job when the budget is spent."""
    from chalicelib.agents.dev import regenerate_files

    budget = max_attempts(ctx)
    findings = qa.read_findings(ctx.workspace)
    sources = qa.load_sources(ctx.workspace)
    if findings is None:
        sources, findings = qa.analyze_workspace(ctx.workspace)
    if ctx.attempt > budget:
        raise QualityGateFailed(_gate_message(findings, ctx.attempt - 1))
    before = qa.quality_data(findings)
    if before["passed"]:
        return PhaseOutcome(status="passed", summary="no blocking findings: nothing to repair", data=before)
    paths = files_to_repair(findings, sources)
    ctx.log("info", f"repair round {ctx.attempt}/{budget}: asking the dev agent to rewrite {', '.join(paths)}")
    rewritten_texts = regenerate_files(ctx, paths, [f for f in findings if f.file in paths])
    rewritten: list[str] = []
    for path, text in sorted(rewritten_texts.items()):
        if path not in paths:
            ctx.log("warning", f"repair: ignored {path}, which no blocking finding pointed at")
            continue
        ctx.workspace.write(qa.SOURCE_PREFIX + path, text)
        rewritten.append(path)
    sources, findings = qa.analyze_workspace(ctx.workspace)
    outputs = [qa.SOURCE_PREFIX + path for path in rewritten]
    outputs += qa.record_findings(ctx.workspace, findings, sources, f"repair round {ctx.attempt}")
    _append_history(ctx, _history_entry(ctx.attempt, budget, rewritten, before, findings))
    outputs.append(HISTORY_PATH)
    data = qa.quality_data(findings)
    if not data["passed"] and ctx.attempt >= budget:
        raise QualityGateFailed(_gate_message(findings, ctx.attempt))
    summary = (f"round {ctx.attempt}: rewrote {len(rewritten)} file(s); "
               + ("QA passes" if data["passed"] else f"{data['errors']} error(s) remain: "
                  f"{qa.describe([f for f in findings if qa.is_blocking(f)])}"))
    ctx.log("info" if data["passed"] else "warning", f"repair: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=outputs, findings=findings, data=data)
