"""Platform-wide settings: one item per key in the `config` table, values kept as strings."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from chalicelib.domain.phases import PHASES
from chalicelib.store import items

KIND = "settings"


DOLLARS_AND_CENTS = re.compile(r"[0-9]{1,7}(\.[0-9]{1,2})?")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _money(value: str) -> str:
    value = value.strip()
    if not DOLLARS_AND_CENTS.fullmatch(value):
        raise ValueError("must be US dollars with at most two decimals, e.g. \"5.00\"")
    amount = Decimal(value)
    if amount > 1_000_000:
        raise ValueError("must be between 0 and 1000000")
    return f"{amount:.2f}"


def _int_range(low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if not WHOLE_NUMBER.fullmatch(value) or not low <= int(value) <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return str(int(value))

    return check


def _model_id(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 200 or not value.isprintable() or any(ch.isspace() for ch in value):
        raise ValueError("must be a model id of printable characters without spaces, at most 200 characters")
    return value


def _phase_list(value: str) -> str:
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name == PHASES[0]:
            raise ValueError(f"{name!r} cannot be gated: a job is created before any checkpoint")
        if name not in PHASES:
            raise ValueError(f"unknown phase {name!r}; choose from {', '.join(PHASES[1:])}")
    return ",".join(dict.fromkeys(names))


def _boolean(value: str) -> str:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError("must be \"true\" or \"false\"")
    return lowered


DEFAULTS: dict[str, str] = {
    "daily_cost_limit": "5.00",
    "smart_model_fallback": "anthropic/claude-3.5-sonnet",
    "max_repair_attempts": "5",
    "checkpoint_phases": "",
    "checkpoint_timeout_seconds": "86400",
    "security_high_findings_checkpoint": "false",
    "llm_timeout_seconds": "60",
    "llm_max_retries": "2",
    "llm_max_output_tokens": "8192",
}

VALIDATORS: dict[str, Callable[[str], str]] = {
    "daily_cost_limit": _money,
    "smart_model_fallback": _model_id,
    "max_repair_attempts": _int_range(0, 10),
    "checkpoint_phases": _phase_list,
    "checkpoint_timeout_seconds": _int_range(1, 7 * 86400),
    "security_high_findings_checkpoint": _boolean,
    "llm_timeout_seconds": _int_range(1, 600),
    "llm_max_retries": _int_range(0, 10),
    "llm_max_output_tokens": _int_range(16, 200_000),
}


def validate(changes: dict[str, object]) -> dict[str, str]:
    """Normalised string values; ValueError naming the first unknown key or bad value."""
    cleaned: dict[str, str] = {}
    for key, value in changes.items():
        if key not in VALIDATORS:
            raise ValueError(f"unknown setting {key!r}; known: {', '.join(sorted(VALIDATORS))}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, (str, int, float)):
            raise ValueError(f"{key}: must be a string or number")
        try:
            cleaned[key] = VALIDATORS[key](str(value))
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from error
    return cleaned


def get_all() -> dict[str, str]:
    """Every setting: stored values over the defaults."""
    from boto3.dynamodb.conditions import Key

    response = items.table("config").query(KeyConditionExpression=Key("kind").eq(KIND), ConsistentRead=True)
    stored = {item["item_id"]: str(item["value"]) for item in response.get("Items", [])}
    return {**DEFAULTS, **{key: value for key, value in stored.items() if key in DEFAULTS}}


def update(changes: dict[str, str]) -> dict[str, str]:
    """Persist already validated values; returns the full settings."""
    now = items.now_iso()
    with items.table("config").batch_writer() as batch:
        for key, value in changes.items():
            batch.put_item(Item={"kind": KIND, "item_id": key, "value": value, "updated_at": now})
    return get_all()
