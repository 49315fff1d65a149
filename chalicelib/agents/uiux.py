"""uiux: theme, screen inventory, states and accessibility notes."""

from __future__ import annotations

from chalicelib.agents.answers import ask_model, parse_markdown, quote_job, spec_block
from chalicelib.agents.specs import load_product_spec
from chalicelib.flutter.escape import markdown_text
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome


def design_md(spec: ProductSpec) -> str:
    screens = "\n".join(f"| `{s.route}` | {s.widget} | {markdown_text(s.title)} | {s.kind} |"
                        for s in spec.screens)
    return (f"# Design: {markdown_text(spec.app_name)}\n\n## Theme\n\nMaterial 3, "
            f"`ColorScheme.fromSeed(seedColor: {spec.seed_color})` for the {markdown_text(spec.style)} "
            "style, light and dark schemes following the system setting.\n\n"
            "## Screens\n\n| route | widget | title | kind |\n|---|---|---|---|\n" + screens + "\n\n"
            "## States\n\n- Loading: a centred progress indicator with a semantics label.\n"
            "- Error: icon, message and a Try again button.\n- Empty: icon and a sentence saying "
            "how to add the first item.\n\n## Accessibility\n\n- Every icon button has a tooltip "
            "(read by screen readers).\n- Text uses the theme's text styles and scales with the "
            "system font size.\n- Colors come from the generated scheme, which meets contrast "
            "guidelines; state is never shown by color alone.\n- Forms show validation messages "
            "under the field.\n")


SECTIONS = ("Theme", "Screens", "States", "Accessibility")


def _prompt(ctx: PhaseContext, spec: ProductSpec) -> str:
    return ("Write the design document of a Flutter app: Material 3 theme from a seed color with light and "
            "dark schemes, the screen inventory, empty / loading / error states, accessibility notes.\n\n"
            f"{quote_job('App name', ctx.job.name)}\n{quote_job('Description', ctx.job.description)}\n"
            f"{quote_job('Style', ctx.job.style)}\n\n{spec_block(spec.model_dump_json(indent=2))}\n\n"
            f"The generated code seeds its color scheme with {spec.seed_color}.\n"
            "Answer with one Markdown document starting with the title line '# Design: <app name>', with the "
            "sections " + ", ".join(f"'## {s}'" for s in SECTIONS) + "; the Theme section names the seed color "
            "and the Screens section is a table with one row per screen of the spec: its route exactly as given "
            "(`/...`), widget, title and kind.")


def _mentions(spec: ProductSpec) -> list[str]:
    """The seed color and every screen's route (as a code span), which the document must name."""
    return [spec.seed_color] + list(dict.fromkeys(f"`{s.route}`" for s in spec.screens))


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Ask for the design document; it must name the seed color and every screen's route."""
    spec = load_product_spec(ctx)
    document = ask_model(ctx, "design", _prompt(ctx, spec), lambda: design_md(spec),
                         parse_markdown("Design", SECTIONS, _mentions(spec)),
                         "the Markdown design document starting with '# Design: <app name>'")
    assert isinstance(document, str)
    ctx.workspace.write("docs/design.md", document)
    return PhaseOutcome(summary=f"{len(spec.screens)} screens, seed {spec.seed_color}",
                        outputs=["docs/design.md"])
