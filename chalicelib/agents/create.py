"""create: record the validated request and a readable app brief."""

from __future__ import annotations

from chalicelib.flutter.escape import json_text, markdown_text
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Write docs/request.json and docs/app_brief.md from the job."""
    job = ctx.job
    ctx.workspace.write("docs/request.json", json_text(job.model_dump()))
    features = "\n".join(f"- {markdown_text(f)}" for f in job.features) or "- (none listed)"
    brief = (f"# {markdown_text(job.name)}\n\n{markdown_text(job.description)}\n\n"
             f"- Platforms: {', '.join(job.platform)}\n- Style: {markdown_text(job.style)}\n"
             f"- Backend: {job.backend}\n\n## Requested features\n\n{features}\n")
    ctx.workspace.write("docs/app_brief.md", brief)
    return PhaseOutcome(summary=f"Recorded the request for {job.name}",
                        outputs=["docs/request.json", "docs/app_brief.md"])
