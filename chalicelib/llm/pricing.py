"""USD prices of LLM calls from genai-prices' bundled snapshot (no network); None when unknown."""

from __future__ import annotations

from decimal import Decimal

MICRO_QUANTUM = Decimal("1e-12")


def price(pricing_id: str | None, model: str, tokens_in: int, tokens_out: int) -> Decimal | None:
    """The call's cost in USD, or None when genai-prices does not know the model (never a silent $0)."""
    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=tokens_in, output_tokens=tokens_out)
    candidates = [model] + ([model.rsplit("/", 1)[1]] if "/" in model else [])
    for candidate in candidates:
        try:
            calculation = calc_price(usage, candidate, provider_id=pricing_id)
        except LookupError:
            continue
        return Decimal(calculation.total_price).quantize(MICRO_QUANTUM)
    return None
