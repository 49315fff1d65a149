"""Settings over HTTP: both aliases, per-key validation, admin-only writes, an activity entry per change."""

from __future__ import annotations

import pytest

from chalicelib.store import settings


def test_both_aliases_return_every_setting_as_strings(viewer):
    first, second = viewer.get("/api/settings").json, viewer.get("/api/system/settings").json
    assert first == second == settings.DEFAULTS
    assert first["daily_cost_limit"] == "5.00" and first["smart_model_fallback"] == "anthropic/claude-3.5-sonnet"
    assert all(isinstance(value, str) for value in first.values())


def test_post_and_patch_change_some_keys_and_normalise_values(admin):
    changed = admin.post("/api/settings", {"daily_cost_limit": 2.5, "max_repair_attempts": "3"})
    assert changed.status == 200
    assert changed.json["daily_cost_limit"] == "2.50" and changed.json["max_repair_attempts"] == "3"
    patched = admin.request("PATCH", "/api/system/settings", {"security_high_findings_checkpoint": True})
    assert patched.json["security_high_findings_checkpoint"] == "true" and patched.json["daily_cost_limit"] == "2.50"
    assert admin.get("/api/settings").json == patched.json
    assert settings.get_all()["max_repair_attempts"] == "3"


def test_each_change_is_an_activity_entry(admin):
    admin.post("/api/settings", {"daily_cost_limit": "1.00", "llm_max_retries": "2"})
    entries = [entry for entry in admin.get("/api/tasks").json["recent"] if entry["kind"] == "settings_changed"]
    assert [entry["details"]["key"] for entry in entries] == ["daily_cost_limit"]
    assert entries[0]["details"]["old"] == "5.00" and entries[0]["details"]["new"] == "1.00"


@pytest.mark.parametrize("body, named", [
    ({"colour": "red"}, "colour"),
    ({"daily_cost_limit": "lots"}, "daily_cost_limit"),
    ({"daily_cost_limit": -1}, "daily_cost_limit"),
    ({"max_repair_attempts": 11}, "max_repair_attempts"),
    ({"llm_timeout_seconds": "0"}, "llm_timeout_seconds"),
    ({"smart_model_fallback": "two words"}, "smart_model_fallback"),
    ({"checkpoint_phases": "dev,deploy"}, "checkpoint_phases"),
    ({"security_high_findings_checkpoint": "maybe"}, "security_high_findings_checkpoint"),
    ({"llm_max_retries": [1]}, "llm_max_retries"),
])
def test_bad_keys_and_values_are_400_naming_the_key_and_change_nothing(admin, body, named):
    reply = admin.post("/api/settings", {"checkpoint_timeout_seconds": "120", **body})
    assert reply.status == 400 and named in reply.json["detail"]
    assert admin.get("/api/settings").json["checkpoint_timeout_seconds"] == "86400"


def test_an_empty_change_is_400(admin):
    reply = admin.post("/api/settings", {})
    assert reply.status == 400 and "at least one" in reply.json["detail"]


def test_only_admins_change_settings(viewer, member):
    for client in (viewer, member):
        assert client.post("/api/settings", {"daily_cost_limit": "1"}).status == 403
        assert client.request("PATCH", "/api/system/settings", {"daily_cost_limit": "1"}).status == 403
    assert viewer.get("/api/settings").json["daily_cost_limit"] == "5.00"
