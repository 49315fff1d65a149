"""Body of a settings change: setting name to new value (validated per key by the settings store)."""

from __future__ import annotations

from typing import Any

from pydantic import RootModel


class SettingsPatch(RootModel[dict[str, Any]]):
    """`{"daily_cost_limit": "2.50", ...}`: any subset of the known settings."""
