"""ba: turn the request into the product spec, requirements and user flows."""

from __future__ import annotations

from chalicelib.agents.answers import ask_model, parse_model, quote_job
from chalicelib.agents.specs import PRODUCT_SPEC_PATH
from chalicelib.flutter.escape import json_text, markdown_text
from chalicelib.flutter.features import build_product_spec
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome


def _prompt(ctx: PhaseContext) -> str:
    job = ctx.job
    return ("Write the product spec of a Flutter app as one JSON object matching this JSON Schema:\n"
            f"{ProductSpec.model_json_schema()}\n\n"
            f"{quote_job('App name', job.name)}\n{quote_job('Description', job.description)}\n"
            f"{quote_job('Features', ', '.join(job.features))}\n"
            f"Platforms: {', '.join(job.platform)}; style: {job.style}; backend: {job.backend}.\n"
            "Every requested feature must appear; answer with the JSON object only.")


def requirements_md(spec: ProductSpec) -> str:
    """User stories with acceptance criteria, per feature."""
    parts = [f"# Requirements: {markdown_text(spec.app_name)}\n"]
    for story in spec.user_stories:
        feature = spec.feature(story.feature)
        criteria = "\n".join(f"- [ ] {markdown_text(c)}" for c in story.acceptance_criteria)
        parts.append(f"## {story.id} {markdown_text(feature.title)}\n\nAs a {story.as_a}, I want "
                     f"{markdown_text(story.i_want)}, so that {markdown_text(story.so_that)}.\n\n"
                     f"Requested as: \"{markdown_text(feature.source)}\"\n\n{criteria}\n")
    parts.append("## Non-functional\n\n" + "\n".join(
        f"- **{n.category}**: {markdown_text(n.requirement)}" for n in spec.non_functional) + "\n")
    return "\n".join(parts)


def user_flows_md(spec: ProductSpec) -> str:
    """How users move between screens."""
    lines = [f"# User flows: {markdown_text(spec.app_name)}\n"]
    if spec.navigation.sign_in_route:
        lines.append(f"Signed-out users land on `{spec.navigation.sign_in_route}`; after signing in "
                     "they reach the home screen.\n")
    lines.append("From the home screen (`/`):\n")
    for d in spec.navigation.destinations:
        screens = ", ".join(f"`{s.route}` ({s.widget})" for s in spec.screens_of(d.feature))
        lines.append(f"- {markdown_text(d.label)} -> {screens}")
    return "\n".join(lines) + "\n"


def _count(number: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{number} {word if number == 1 else plural}"


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Ask for the spec (the offline analyst derives it from the job) and write the documents."""
    spec = ask_model(ctx, "product_spec", _prompt(ctx),
                     lambda: build_product_spec(ctx.job, ctx.feature_mappings).model_dump_json(indent=2),
                     parse_model(ProductSpec), "a JSON object with the product spec")
    assert isinstance(spec, ProductSpec)
    ctx.workspace.write(PRODUCT_SPEC_PATH, json_text(spec.model_dump()))
    ctx.workspace.write("docs/requirements.md", requirements_md(spec))
    ctx.workspace.write("docs/user_flows.md", user_flows_md(spec))
    return PhaseOutcome(
        summary=", ".join(_count(n, word) for n, word in ((len(spec.features), "feature"), (len(spec.screens), "screen"),
                                                           (len(spec.user_stories), "user story"))),
        outputs=[PRODUCT_SPEC_PATH, "docs/requirements.md", "docs/user_flows.md"],
        data={"features": len(spec.features), "screens": len(spec.screens)})
