"""dev: write the Flutter project under source/, and regenerate given files for repair."""

from __future__ import annotations

import json

from chalicelib.agents.answers import ask_model, parse_files, spec_block
from chalicelib.agents.specs import load_product_spec
from chalicelib.flutter.generator import generate_project
from chalicelib.pipeline.context import Finding, PhaseContext, PhaseOutcome

ANSWER_FORMAT = ('Answer with one JSON object {"files": {"<path relative to source/>": "<file text>"}}, '
                 "or with one fenced code block per file, each preceded by a line holding its path "
                 "(fence a file that itself holds ``` blocks with ````).")


def _prompt(spec_json: str) -> str:
    return ("Write a complete Flutter project (Dart 3, null safety, go_router, provider, "
            "repositories behind interfaces, a view model per screen, widget tests per screen) "
            f"for the product spec below.\n\n{spec_block(spec_json)}\n\n{ANSWER_FORMAT}")


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Ask for the project, parse it, write every file under source/."""
    spec = load_product_spec(ctx)
    files = ask_model(ctx, "flutter_project", _prompt(spec.model_dump_json()),
                      lambda: json.dumps({"files": generate_project(spec)}),
                      parse_files, "the project files in the requested format")
    assert isinstance(files, dict)
    outputs = []
    for path, text in files.items():
        ctx.workspace.write(f"source/{path}", text)
        outputs.append(f"source/{path}")
    lines = sum(text.count("\n") for text in files.values())
    return PhaseOutcome(summary=f"{len(files)} files, {lines} lines", outputs=outputs,
                        data={"files": len(files), "lines": lines})


def regenerate_files(ctx: PhaseContext, paths: list[str], findings: list[Finding]) -> dict[str, str]:
    """New text for the given source/-relative paths, fixing the findings (for refactor/repair)."""
    spec = load_product_spec(ctx)
    current = {p: ctx.workspace.read(f"source/{p}") or "" for p in paths}
    prompt = ("Fix these findings in a Flutter project. Rewrite only the files listed.\n"
              f"Findings: {json.dumps([f.to_dict() for f in findings])}\n"
              f"Current files: {json.dumps(current)}\n{ANSWER_FORMAT}")

    def offline() -> str:
        project = generate_project(spec)
        return json.dumps({"files": {p: project[p] for p in paths if p in project}})

    files = ask_model(ctx, "flutter_repair", prompt, offline, parse_files,
                      "the fixed files in the requested format")
    assert isinstance(files, dict)
    return {p: t for p, t in files.items() if p in paths}
