"""uiux: theme, screen inventory, states and accessibility notes."""

from __future__ import annotations

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


def run(ctx: PhaseContext) -> PhaseOutcome:
    spec = load_product_spec(ctx)
    ctx.workspace.write("docs/design.md", design_md(spec))
    return PhaseOutcome(summary=f"{len(spec.screens)} screens, seed {spec.seed_color}",
                        outputs=["docs/design.md"])
