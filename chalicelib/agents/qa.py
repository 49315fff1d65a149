"""The `qa` phase: static analysis of the generated project, written as findings and a test report.

Also home of the helpers refactor and repair share: loading the project, recording the current findings.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from chalicelib.agents.errors import PhaseError
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome, Workspace

if TYPE_CHECKING:
    from chalicelib.flutter.spec import ProductSpec

SOURCE_PREFIX = "source/"
SPEC_PATH = "docs/product_spec.json"
FINDINGS_PATH = "docs/qa_findings.json"
REPORT_PATH = "docs/test_report.md"
BLOCKING_SEVERITIES = ("error", "high")
REPORT_ROW_LIMIT = 200


def load_sources(workspace: Workspace) -> dict[str, str]:
    """The project's text files by path relative to source/."""
    sources: dict[str, str] = {}
    for path in workspace.list(SOURCE_PREFIX):
        content = workspace.read(path)
        if content is not None:
            sources[path.removeprefix(SOURCE_PREFIX)] = content
    return sources


def load_spec(workspace: Workspace) -> ProductSpec | None:
    """The product spec `ba` wrote, or None for a project without one."""
    from pydantic import ValidationError

    from chalicelib.flutter.spec import ProductSpec

    text = workspace.read(SPEC_PATH)
    if text is None:
        return None
    try:
        return ProductSpec.model_validate_json(text)
    except ValidationError as error:
        raise PhaseError(f"{SPEC_PATH} is not a valid product spec: {error.error_count()} problem(s), "
                         f"first: {error.errors()[0]['msg']}") from error


def is_blocking(finding: Finding) -> bool:
    """Whether a finding stops the release (errors and high-severity findings do)."""
    return finding.severity in BLOCKING_SEVERITIES


def quality_data(findings: list[Finding]) -> dict:
    """The small result the state machine's Choice reads: passed, error and warning counts."""
    errors = sum(1 for f in findings if is_blocking(f))
    warnings = sum(1 for f in findings if f.severity == "warning")
    return {"passed": errors == 0, "errors": errors, "warnings": warnings}


def describe(findings: list[Finding], limit: int = 5) -> str:
    """The first few findings as `file:line rule`, for error messages and summaries."""
    shown = [f"{f.file or '-'}:{f.line or '-'} {f.rule}" for f in findings[:limit]]
    more = f" (+{len(findings) - limit} more)" if len(findings) > limit else ""
    return ", ".join(shown) + more


def analyze_workspace(workspace: Workspace) -> tuple[dict[str, str], list[Finding]]:
    """The project's files and all static findings about them."""
    from chalicelib.flutter.analyzer import analyze_project

    sources = load_sources(workspace)
    return sources, analyze_project(sources, load_spec(workspace))


def read_findings(workspace: Workspace) -> list[Finding] | None:
    """The findings the last qa/refactor/repair run recorded, or None before any."""
    text = workspace.read(FINDINGS_PATH)
    if text is None:
        return None
    return [Finding(**item) for item in json.loads(text)["findings"]]


def _cell(value: object) -> str:
    """A value made safe for a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _report(findings: list[Finding], sources: dict[str, str], stage: str) -> str:
    """The Markdown test report: what was checked, a rule summary table, then every finding."""
    import shutil

    data = quality_data(findings)
    dart_files = [p for p in sources if p.endswith(".dart")]
    tests = [p for p in dart_files if p.startswith("test/") and p.endswith("_test.dart")]
    flutter = "ran (flutter analyze, flutter test)" if shutil.which("flutter") else "not installed: static checks only"
    lines = [
        "# Test report",
        "",
        (f"Analysed after: **{stage}**. Result: **{'PASSED' if data['passed'] else 'FAILED'}** "
        f"({data['errors']} error(s), {data['warnings']} warning(s))."),
        "",
        "| Checked | Count |",
        "|---|---|",
        f"| Files | {len(sources)} |",
        f"| Dart files parsed (tree-sitter-dart) | {len(dart_files)} |",
        f"| Test files | {len(tests)} |",
        f"| Flutter SDK | {flutter} |",
        "",
        "## Findings by rule",
        "",
    ]
    by_rule = Counter((f.rule, f.severity) for f in findings)
    if by_rule:
        lines += ["| Rule | Severity | Count |", "|---|---|---|"]
        lines += [f"| `{rule}` | {severity} | {count} |" for (rule, severity), count in sorted(by_rule.items())]
    else:
        lines.append("No findings.")
    if findings:
        lines += ["", "## Findings", "", "| File | Line | Rule | Severity | Message |", "|---|---|---|---|---|"]
        lines += [
            f"| {_cell(f.file or '-')} | {f.line or '-'} | `{f.rule}` | {f.severity} | {_cell(f.message)} |"
            for f in findings[:REPORT_ROW_LIMIT]
        ]
        if len(findings) > REPORT_ROW_LIMIT:
            lines.append(f"\n{len(findings) - REPORT_ROW_LIMIT} more finding(s) in `{FINDINGS_PATH}`.")
    return "\n".join(lines) + "\n"


def record_findings(workspace: Workspace, findings: list[Finding], sources: dict[str, str], stage: str) -> list[str]:
    """Write the current findings (JSON) and the test report; return the paths written."""
    document = {"stage": stage, **quality_data(findings), "findings": [f.to_dict() for f in findings]}
    workspace.write(FINDINGS_PATH, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    workspace.write(REPORT_PATH, _report(findings, sources, stage))
    return [FINDINGS_PATH, REPORT_PATH]


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Analyse the generated project; `passed` tells the state machine whether repair is needed."""
    sources, findings = analyze_workspace(ctx.workspace)
    if not sources:
        raise PhaseError("there is no generated project under source/ to check")
    outputs = record_findings(ctx.workspace, findings, sources, "qa")
    data = quality_data(findings)
    blocking = [f for f in findings if is_blocking(f)]
    summary = (f"{len(sources)} files checked: no blocking findings, {data['warnings']} warning(s)"
               if data["passed"] else f"{data['errors']} error(s): {describe(blocking)}")
    ctx.log("info" if data["passed"] else "warning", f"qa: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=outputs, findings=findings, data=data)
