"""The `refactor` phase: safe mechanical clean-ups (unused imports, import order, whitespace), then QA again."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.agents import qa
from chalicelib.flutter import dart_parser as dart
from chalicelib.flutter.analyzer import check_pubspec, unused_imports
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome

REPORT_PATH = "docs/refactor_report.md"
_IMPORT_GROUPS = ("dart:", "package:")


@dataclass
class FileRefactor:
    """What was changed in one file and its new text."""

    path: str
    text: str
    changes: list[str] = field(default_factory=list)


def remove_imports(source: str, directives: list[dart.DartDirective]) -> str:
    """The source without the given import directives' lines."""
    drop = {line for d in directives for line in range(d.line, d.end_line + 1)}
    return "".join(line for number, line in enumerate(source.splitlines(keepends=True), start=1)
                   if number not in drop)


def _import_group(uri: str) -> int:
    """Effective Dart order: dart: imports, then package: imports, then relative ones."""
    return next((index for index, prefix in enumerate(_IMPORT_GROUPS) if uri.startswith(prefix)),
                len(_IMPORT_GROUPS))


def sort_imports(source: str) -> str:
    """Imports grouped (dart:, package:, relative) and sorted, when the import block is plain enough to move.

    Only a block made of single-line imports and blank lines is touched; comments or exports inside it
    leave the file as it is.
    """
    found = dart.imports(source)
    if not found or any(d.line != d.end_line for d in found):
        return source
    lines = source.splitlines(keepends=True)
    first, last = found[0].line - 1, found[-1].line - 1
    block = lines[first : last + 1]
    import_lines = {d.line - 1 for d in found}
    if any(index + first not in import_lines and text.strip() for index, text in enumerate(block)):
        return source
    by_line = {d.line - 1: d for d in found}
    ordered = sorted(import_lines, key=lambda index: (_import_group(by_line[index].uri), by_line[index].uri))
    rebuilt: list[str] = []
    previous_group: int | None = None
    for index in ordered:
        group = _import_group(by_line[index].uri)
        if previous_group is not None and group != previous_group:
            rebuilt.append("\n")
        rebuilt.append(lines[index].rstrip() + "\n")
        previous_group = group
    return "".join(lines[:first] + rebuilt + lines[last + 1 :])


def tidy_whitespace(source: str) -> str:
    """No trailing whitespace, no runs of more than one blank line, exactly one final newline.

    Lines inside multi-line string literals are left alone: their whitespace is data.
    """
    protected: set[int] = set()
    for node in dart.string_literals(dart.parse(source).root_node):
        if node.end_point.row > node.start_point.row:
            protected.update(range(node.start_point.row, node.end_point.row + 1))
    result: list[str] = []
    for index, line in enumerate(source.splitlines()):
        stripped = line if index in protected else line.rstrip()
        if not stripped and result and not result[-1] and index not in protected:
            continue
        result.append(stripped)
    while result and not result[-1]:
        result.pop()
    return "\n".join(result) + "\n" if result else ""


def refactor_file(path: str, sources: dict[str, str], package: str | None) -> FileRefactor:
    """Apply every safe refactor to one Dart file; a step that would add a syntax error is dropped."""
    current = FileRefactor(path, sources[path])
    baseline = len(dart.parse_errors(current.text))
    steps = (
        ("removed unused imports", lambda text: remove_imports(text, unused_imports(path, {**sources, path: text},
                                                                                    package))),
        ("sorted imports", sort_imports),
        ("tidied whitespace", tidy_whitespace),
    )
    for label, step in steps:
        candidate = step(current.text)
        if candidate != current.text and len(dart.parse_errors(candidate)) <= baseline:
            current.text = candidate
            current.changes.append(label)
    return current


def _report(changed: list[FileRefactor], checked: int, data: dict) -> str:
    """The Markdown refactor report: every file changed and how, then the QA result after it."""
    lines = [
        "# Refactor report",
        "",
        f"Dart files checked: {checked}. Files changed: {len(changed)}.",
        "",
        ("Refactors applied only when the file parses no worse afterwards: unused imports removed, "
        "imports grouped and sorted (dart:, package:, relative), trailing whitespace and extra blank lines removed."),
        "",
    ]
    if changed:
        lines += ["| File | Changes |", "|---|---|"]
        lines += [f"| {item.path} | {', '.join(item.changes)} |" for item in changed]
    else:
        lines.append("Nothing needed changing.")
    lines += ["", (f"QA after refactor: {'PASSED' if data['passed'] else 'FAILED'} "
              f"({data['errors']} error(s), {data['warnings']} warning(s)).")]
    return "\n".join(lines) + "\n"


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Refactor every Dart file mechanically, write what changed, and re-analyse the project."""
    sources = qa.load_sources(ctx.workspace)
    pubspec, _ = check_pubspec(sources)
    changed: list[FileRefactor] = []
    dart_paths = sorted(p for p in sources if p.endswith(".dart"))
    for path in dart_paths:
        result = refactor_file(path, sources, pubspec.name)
        if result.changes:
            sources[path] = result.text
            ctx.workspace.write(qa.SOURCE_PREFIX + path, result.text)
            changed.append(result)
    sources, findings = qa.analyze_workspace(ctx.workspace)
    outputs = [qa.SOURCE_PREFIX + item.path for item in changed]
    outputs += qa.record_findings(ctx.workspace, findings, sources, "refactor")
    data = qa.quality_data(findings)
    ctx.workspace.write(REPORT_PATH, _report(changed, len(dart_paths), data))
    outputs.append(REPORT_PATH)
    summary = f"{len(changed)} file(s) refactored; {data['errors']} error(s), {data['warnings']} warning(s) remain"
    ctx.log("info", f"refactor: {summary}")
    return PhaseOutcome(status="passed", summary=summary, outputs=outputs, findings=findings, data=data)
