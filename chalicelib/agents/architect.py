"""architect: folders, state management, routing, repositories and dependencies."""

from __future__ import annotations

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


def run(ctx: PhaseContext) -> PhaseOutcome:
    spec = load_product_spec(ctx)
    ctx.workspace.write("docs/architecture.md", architecture_md(spec))
    return PhaseOutcome(summary=f"{len(spec.features)} feature folders, backend {spec.backend}",
                        outputs=["docs/architecture.md"])
