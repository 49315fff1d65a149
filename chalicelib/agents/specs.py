"""Reading the product spec that `ba` wrote; every later phase starts here."""

from __future__ import annotations

from chalicelib.agents.errors import PhaseError
from chalicelib.flutter.spec import ProductSpec
from chalicelib.pipeline.context import PhaseContext

PRODUCT_SPEC_PATH = "docs/product_spec.json"


def load_product_spec(ctx: PhaseContext) -> ProductSpec:
    """The spec from the workspace; a missing one means `ba` did not run."""
    text = ctx.workspace.read(PRODUCT_SPEC_PATH)
    if text is None:
        raise PhaseError(f"{PRODUCT_SPEC_PATH} is missing; the ba phase must run first")
    return ProductSpec.model_validate_json(text)
