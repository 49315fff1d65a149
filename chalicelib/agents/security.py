"""The `security` phase: secrets, cleartext traffic, token storage, credential logging, forms, permissions."""

from __future__ import annotations

import json

from chalicelib.agents import qa
from chalicelib.agents.errors import PhaseError
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome, Workspace

REPORT_PATH = "docs/security_report.md"
FINDINGS_PATH = "docs/security_findings.json"
_NOTE_SUFFIXES = (".md", ".txt")


def platform_notes(workspace: Workspace, sources: dict[str, str]) -> str:
    """What the app declares about its platform needs: its README and the design documents."""
    notes = [text for path, text in sources.items() if path.endswith(_NOTE_SUFFIXES)]
    for path in workspace.list("docs/"):
        if path.endswith(_NOTE_SUFFIXES) and path != REPORT_PATH:
            notes.append(workspace.read(path) or "")
    return "\n".join(notes)


def _report(findings: list[Finding]) -> str:
    """The Markdown security report: counts by severity, then every finding."""
    counts = {severity: sum(1 for f in findings if f.severity == severity)
              for severity in ("high", "error", "warning", "info")}
    lines = [
        "# Security report",
        "",
        ("Checked: hard-coded secrets and keys, cleartext `http://`, tokens in SharedPreferences, logging of "
        "credentials, form fields without validators, permissions used but not declared in the platform notes."),
        "",
        "| Severity | Count |",
        "|---|---|",
        *[f"| {severity} | {count} |" for severity, count in counts.items()],
        "",
        f"Decision: **{'FAIL' if counts['high'] else 'PASS'}** (high-severity findings fail the phase).",
    ]
    if findings:
        lines += ["", "## Findings", "", "| File | Line | Rule | Severity | Message |", "|---|---|---|---|---|"]
        lines += [f"| {f.file or '-'} | {f.line or '-'} | `{f.rule}` | {f.severity} | {f.message.replace('|', '/')} |"
                  for f in findings]
    return "\n".join(lines) + "\n"


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Scan the project; raise when high-severity findings (secrets) remain."""
    from chalicelib.flutter.security_checks import check_security

    sources = qa.load_sources(ctx.workspace)
    findings = check_security(sources, platform_notes(ctx.workspace, sources))
    ctx.workspace.write(REPORT_PATH, _report(findings))
    ctx.workspace.write(FINDINGS_PATH, json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2) + "\n")
    high = [f for f in findings if f.severity == "high"]
    if high:
        listed = "; ".join(f"{f.file}:{f.line} {f.rule} ({f.message})" for f in high[:5])
        if ctx.settings.get("security_high_findings_checkpoint") == "true":
            summary = f"{len(high)} high-severity finding(s) need a human's approval to ship: {listed}"
            ctx.log("warning", f"security: {summary}")
            return PhaseOutcome(status="passed", summary=summary, outputs=[REPORT_PATH, FINDINGS_PATH],
                                findings=findings, data={"needs_approval": True, "high": len(high)})
        raise PhaseError(f"{len(high)} high-severity security finding(s): {listed}")
    data = qa.quality_data(findings)
    summary = f"no high-severity findings; {data['errors']} error(s), {data['warnings']} warning(s)"
    ctx.log("info" if data["passed"] else "warning", f"security: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=[REPORT_PATH, FINDINGS_PATH],
                        findings=findings, data=data)
