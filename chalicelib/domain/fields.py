"""Field types shared by the request models: slugs and comma-or-array lists."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
SLUG_RULE = "must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'"


def is_slug(value: str) -> bool:
    return SLUG_PATTERN.fullmatch(value) is not None


def _legal_slug(value: str) -> str:
    if not is_slug(value):
        raise ValueError(f"slug {SLUG_RULE}")
    return value


def _split_list(value: Any) -> Any:
    """Accept `"a, b"` or `["a", "b"]`; strip blanks."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list):
        stripped = [item.strip() if isinstance(item, str) else item for item in value]
        return [item for item in stripped if item != ""]
    return value


Slug = Annotated[str, AfterValidator(_legal_slug)]
CommaList = Annotated[list[str], BeforeValidator(_split_list)]
