"""Settings endpoints (platform-wide): read for everyone, partial update for admins, both aliases."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.errors import BadRequest
from chalicelib.api.routing import route
from chalicelib.auth import Principal
from chalicelib.domain.settings import SettingsPatch
from chalicelib.store import activity, settings

blueprint = Blueprint(__name__)


def _change(caller: Principal, body: SettingsPatch) -> dict[str, str]:
    """Validate every key first (400 naming it), persist, and log one activity entry per changed value."""
    if not body.root:
        raise BadRequest("body: give at least one setting, e.g. {\"daily_cost_limit\": \"5.00\"}")
    try:
        cleaned = settings.validate(body.root)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    before = settings.get_all()
    current = settings.update(cleaned)
    for key, value in cleaned.items():
        if before[key] != value:
            activity.record(caller.team_id, "settings_changed", f"setting {key} changed from {before[key]!r} to {value!r}",
                            details={"key": key, "old": before[key], "new": value, "role": caller.role})
    return current


@route(blueprint, "/api/settings", "GET", "Platform settings (values are strings)", response=dict[str, str],
       tag="settings")
def get_settings(_caller: Principal) -> dict[str, str]:
    return settings.get_all()


@route(blueprint, "/api/system/settings", "GET", "Platform settings (alias of GET /api/settings)",
       response=dict[str, str], tag="settings")
def get_system_settings(_caller: Principal) -> dict[str, str]:
    return settings.get_all()


@route(blueprint, "/api/settings", "POST", "Change some settings; each key validated", role="admin",
       body=SettingsPatch, response=dict[str, str], tag="settings")
def post_settings(caller: Principal, body: SettingsPatch) -> dict[str, str]:
    return _change(caller, body)


@route(blueprint, "/api/system/settings", "PATCH", "Change some settings (alias of POST /api/settings)",
       role="admin", body=SettingsPatch, response=dict[str, str], tag="settings")
def patch_system_settings(caller: Principal, body: SettingsPatch) -> dict[str, str]:
    return _change(caller, body)
