"""architect: folders, state management, routing, repositories and dependencies."""

from __future__ import annotations

from chalicelib.agents.answers import ask_model, parse_markdown, quote_job, spec_block
from chalicelib.agents.specs import load_product_spec
from chalicelib.flutter.generator import DEV_PACKAGE_VERSIONS, dependencies_of
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome


def architecture_md(spec: ProductSpec) -> str:
    """The architecture document, derived from the spec so it matches the generated code."""
    deps = "\n".join(f"| {n} | {v} |" for n, v in {**dependencies_of(spec), **DEV_PACKAGE_VERSIONS}.items())
    features = "\n".join(f"  features/{f.id}/   {f.kind}" for f in spec.features)
    return (f"# Architecture: {spec.package_name}\n\n"
            "Follows the Flutter team's architecture guide (compass_app): data / domain / ui per "
            "feature, repositories behind interfaces, one view model per screen.\n\n"
            "```\nlib/\n  main.dart          runApp with the providers\n  app.dart           "
            "MaterialApp.router\n  config/            app_config.dart, dependencies.dart (the one "
            "wiring place)\n  routing/           routes.dart (paths), router.dart (go_router)\n"
            "  ui/core/           theme, shared state views, formatters\n  utils/result.dart  "
            f"sealed Result<T>: Ok / Error\n{features}\ntest/               widget tests per screen,"
            " unit tests per model and repository\n```\n\n"
            "## State management\n\nprovider for dependency injection; each screen gets a "
            "ChangeNotifier view model exposing loading, error and data, rendered with "
            "ListenableBuilder.\n\n## Routing\n\nDeclarative go_router; every screen is a GoRoute "
            "with a path constant in `Routes`" + (" and a redirect to sign-in for signed-out users"
                                                  if spec.navigation.sign_in_route else "") +
            ".\n\n## Repositories\n\nEach entity has an abstract repository, a local implementation "
            "(shared_preferences)" + ("" if spec.backend == "none" else
                                      f" and a {spec.backend} implementation") +
            ". Failures are returned as `Result.error`, never thrown into the UI.\n\n"
            "## Dependencies\n\n| package | constraint |\n|---|---|\n" + deps + "\n")


SECTIONS = ("State management", "Routing", "Repositories", "Dependencies")


def _prompt(ctx: PhaseContext, spec: ProductSpec) -> str:
    packages = {**dependencies_of(spec), **DEV_PACKAGE_VERSIONS}
    listed = ", ".join(f"{name} {version}" for name, version in packages.items())
    return ("Write the architecture document of a Flutter app, following the Flutter team's architecture "
            "guide and its compass_app sample: feature-first folders under lib/features/ with data / domain / ui, "
            "repositories behind abstract interfaces with local and remote implementations, one ChangeNotifier "
            "view model per screen, declarative go_router routing in lib/routing/, one place that wires "
            "dependencies (lib/config/dependencies.dart), a sealed Result type for failures.\n\n"
            f"{quote_job('App name', ctx.job.name)}\n{quote_job('Description', ctx.job.description)}\n\n"
            f"{spec_block(spec.model_dump_json(indent=2))}\n\n"
            f"The project uses exactly these packages (name and version constraint): {listed}.\n"
            f"Answer with one Markdown document starting with the title line '# Architecture: {spec.package_name}', "
            "then the folder tree in a code block and the sections "
            + ", ".join(f"'## {s}'" for s in SECTIONS)
            + "; the Dependencies section is a table of every package above with its constraint.")


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Ask for the architecture document; it must name every package the generated project depends on."""
    spec = load_product_spec(ctx)
    packages = list({**dependencies_of(spec), **DEV_PACKAGE_VERSIONS})
    document = ask_model(ctx, "architecture", _prompt(ctx, spec), lambda: architecture_md(spec),
                         parse_markdown(f"Architecture: {spec.package_name}", SECTIONS, packages),
                         f"the Markdown architecture document starting with '# Architecture: {spec.package_name}'")
    assert isinstance(document, str)
    ctx.workspace.write("docs/architecture.md", document)
    return PhaseOutcome(summary=f"{len(spec.features)} feature folders, backend {spec.backend}",
                        outputs=["docs/architecture.md"])
