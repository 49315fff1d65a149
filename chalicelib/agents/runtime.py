"""The `runtime` phase: can the app start, and can every screen be reached? Statically, plus `flutter test` where installed."""

from __future__ import annotations

import json

from chalicelib.agents import qa
from chalicelib.agents.errors import PhaseError
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome

REPORT_PATH = "docs/runtime_report.md"
FINDINGS_PATH = "docs/runtime_findings.json"

CHECKS = (
    ("Entry point", "lib/main.dart declares main() and calls runApp()", ("entry.missing_run_app",)),
    ("Home screen", "the initial location is routed to a screen", ("runtime.no_home",)),
    ("Route builders", "every builder constructs a declared screen with the arguments its constructor requires",
     ("runtime.route_args",)),
    ("Path parameters", "builders read only parameters their path declares", ("runtime.route_param",)),
    ("Navigation targets", "every context.go/push location is served by a route", ("runtime.unknown_route",)),
    ("Reachability", "every screen is reachable from the home screen", ("runtime.unreachable_screen",)),
)


def _report(findings: list[Finding], flutter_ran: bool) -> str:
    """The Markdown runtime report: one row per check, then every finding."""
    lines = ["# Runtime report", "", "| Check | What it verifies | Result |", "|---|---|---|"]
    for title, meaning, rules in CHECKS:
        failures = [f for f in findings if f.rule in rules]
        lines.append(f"| {title} | {meaning} | {'FAIL (' + str(len(failures)) + ')' if failures else 'pass'} |")
    flutter_failures = [f for f in findings if f.rule.startswith("flutter.")]
    flutter_result = ("FAIL (" + str(len(flutter_failures)) + ")" if flutter_failures else "pass") \
        if flutter_ran else "skipped: no Flutter SDK on PATH"
    lines.append(f"| flutter test | the widget and unit tests run | {flutter_result} |")
    if findings:
        lines += ["", "## Findings", "", "| File | Line | Rule | Severity | Message |", "|---|---|---|---|---|"]
        lines += [f"| {f.file or '-'} | {f.line or '-'} | `{f.rule}` | {f.severity} | {f.message.replace('|', '/')} |"
                  for f in findings]
    return "\n".join(lines) + "\n"


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Check start-up and navigation; fail the job when the app could not start at all."""
    import shutil

    from chalicelib.flutter.analyzer import flutter_findings, sort_findings
    from chalicelib.flutter.runtime_checks import START_BLOCKERS, check_runtime

    sources = qa.load_sources(ctx.workspace)
    findings = sort_findings(check_runtime(sources, qa.load_spec(ctx.workspace)) + flutter_findings(sources, ("test",)))
    ctx.workspace.write(REPORT_PATH, _report(findings, shutil.which("flutter") is not None))
    ctx.workspace.write(FINDINGS_PATH, json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2) + "\n")
    blockers = [f for f in findings if f.rule in START_BLOCKERS]
    if blockers:
        raise PhaseError(f"the app cannot start: {len(blockers)} finding(s): {qa.describe(blockers)}")
    data = qa.quality_data(findings)
    summary = ("the app starts and every screen is reachable" if data["passed"]
               else f"{data['errors']} runtime issue(s): {qa.describe([f for f in findings if qa.is_blocking(f)])}")
    ctx.log("info" if data["passed"] else "warning", f"runtime: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=[REPORT_PATH, FINDINGS_PATH],
                        findings=findings, data=data)
