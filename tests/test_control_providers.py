"""Providers and models over HTTP: registry, custom providers, the active one, probes, URL safety, roles."""

from __future__ import annotations

import socket
import time

import pytest

from chalicelib.llm import url_safety
from chalicelib.llm.errors import UnsafeUrl
from infra.emulator import free_port
from tests.support.fake_openai import FakeOpenAI

KEY_ENV = "FAKE_OPENAI_KEY"
BUILTINS = {"offline", "openai", "openrouter", "anthropic", "gemini", "groq", "deepseek", "ollama", "lmstudio", "vllm"}


@pytest.fixture
def fake(monkeypatch):
    server = FakeOpenAI().start()
    monkeypatch.setenv(KEY_ENV, server.key)
    yield server
    server.stop()


def add_fake(admin, fake, name: str = "fake") -> dict:
    reply = admin.post("/api/providers", {"name": name, "base_url": fake.url, "api_key_env": KEY_ENV,
                                          "default_model": "gpt-4o-mini"})
    assert reply.status == 201, reply.body
    return reply.json


def test_the_registry_lists_builtins_sorted_with_offline_active(viewer, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    reply = viewer.get("/api/providers")
    body = reply.json
    assert body["active"] == "offline" and BUILTINS <= set(body["providers"])
    assert list(body["providers"]) == sorted(body["providers"])
    assert body["providers"]["offline"]["active"] is True and body["providers"]["openai"]["active"] is False
    assert body["providers"]["openai"]["api_key_set"] is True and body["providers"]["groq"]["api_key_set"] is False
    assert body["providers"]["openai"]["api_key_env"] == "OPENAI_API_KEY" and body["providers"]["openai"]["builtin"]
    assert b"sk-secret-value" not in reply.body


def test_a_custom_provider_is_added_once_and_never_shows_its_key(admin, fake):
    created = add_fake(admin, fake)
    assert created["builtin"] is False and created["api_key_set"] is True and created["enabled"] is True
    assert admin.post("/api/providers", {"name": "fake", "base_url": fake.url, "default_model": "m"}).status == 409
    assert admin.post("/api/providers", {"name": "openai", "base_url": fake.url, "default_model": "m"}).status == 409
    listing = admin.get("/api/providers")
    assert "fake" in listing.json["providers"] and fake.key.encode() not in listing.body


@pytest.mark.parametrize("body, field", [
    ({"base_url": "https://x.example/v1", "default_model": "m"}, "name"),
    ({"name": "Bad Name", "base_url": "https://x.example/v1", "default_model": "m"}, "name"),
    ({"name": "x", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "file:///etc/passwd", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "ftp://x.example", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "http://169.254.169.254/latest", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "http://[fd00:ec2::254]/", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "http://[::ffff:169.254.169.254]/", "default_model": "m"}, "base_url"),
    ({"name": "x", "base_url": "https://x.example/v1", "default_model": "m", "api_key_env": "lower-case"}, "api_key_env"),
    ({"name": "x", "base_url": "https://x.example/v1", "default_model": "m", "api_key": "sk-1"}, "api_key"),
])
def test_invalid_or_unsafe_providers_are_400_naming_the_field(admin, body, field):
    reply = admin.post("/api/providers", body)
    assert reply.status == 400 and field in reply.json["detail"], reply.json


def test_a_hostname_resolving_to_a_metadata_address_is_refused_before_any_request(monkeypatch):
    def resolver(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(UnsafeUrl, match="169.254.169.254"):
        url_safety.check_resolved("http://innocent.example/v1")
    url_safety.check_syntax("http://innocent.example/v1")


def test_a_provider_resolving_to_metadata_tests_as_unsafe(admin, monkeypatch):
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: (
        [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.170.2", 0))] if host == "rebind.example"
        else real(host, *a, **k)))
    admin.post("/api/providers", {"name": "rebind", "base_url": "http://rebind.example/v1", "default_model": "m"})
    result = admin.post("/api/providers/rebind/test").json
    assert result["status"] == "error" and result["error"].startswith("unsafe_url") and "169.254.170.2" in result["error"]


def test_upsert_by_url_creates_then_updates_and_checks_the_name(admin, fake):
    first = admin.post("/api/providers/proxy", {"base_url": fake.url, "default_model": "gpt-4o"})
    assert first.status == 201 and first.json["name"] == "proxy"
    second = admin.post("/api/providers/proxy", {"default_model": "gpt-4o-mini"})
    assert second.status == 200 and second.json["default_model"] == "gpt-4o-mini" and second.json["base_url"] == fake.url
    assert admin.post("/api/providers/proxy", {"name": "other"}).status == 400
    assert admin.post("/api/providers/newone", {"default_model": "m"}).status == 400
    override = admin.post("/api/providers/openai", {"default_model": "gpt-4o"})
    assert override.status == 200 and override.json["builtin"] and override.json["default_model"] == "gpt-4o"


def test_patch_changes_fields_and_refuses_nonsense(admin, fake):
    add_fake(admin, fake)
    patched = admin.request("PATCH", "/api/providers/fake", {"enabled": False})
    assert patched.status == 200 and patched.json["enabled"] is False
    assert admin.request("PATCH", "/api/providers/nope", {"enabled": False}).status == 404
    assert admin.request("PATCH", "/api/providers/fake", {}).status == 400
    assert admin.request("PATCH", "/api/providers/fake", {"base_url": "gopher://x"}).status == 400
    assert admin.request("PATCH", "/api/providers/offline", {"base_url": "http://x.example"}).status == 400
    assert admin.request("PATCH", "/api/providers/offline", {"enabled": False}).status == 400


def test_delete_removes_custom_providers_only(admin, fake):
    add_fake(admin, fake)
    assert admin.delete("/api/providers/openai").status == 400
    assert admin.delete("/api/providers/nope").status == 404
    assert admin.delete("/api/providers/fake").json == {"removed": "fake"}
    assert "fake" not in admin.get("/api/providers").json["providers"]


def test_use_switches_the_active_provider_and_refuses_disabled_ones(admin, fake):
    add_fake(admin, fake)
    assert admin.post("/api/providers/nope/use").status == 404
    assert admin.post("/api/providers/fake/use").json == {"active": "fake"}
    listing = admin.get("/api/providers").json
    assert listing["active"] == "fake" and listing["providers"]["fake"]["active"] is True
    assert admin.delete("/api/providers/fake").status == 400
    admin.request("PATCH", "/api/providers/openai", {"enabled": False})
    assert admin.post("/api/providers/openai/use").status == 400
    assert admin.get("/api/models").json == {"provider": "fake", "status": "ok",
                                             "models": ["fallback-model", "gpt-4o", "gpt-4o-mini"]}
    activity = [entry["kind"] for entry in admin.get("/api/tasks").json["recent"]]
    assert "provider_activated" in activity and "provider_added" in activity


def test_probing_reports_ok_with_the_model_count(admin, fake):
    add_fake(admin, fake)
    assert admin.post("/api/providers/fake/test").json["models_count"] == 3
    offline = admin.post("/api/providers/offline/test").json
    assert offline["status"] == "ok" and offline["models_count"] == 1
    assert admin.post("/api/providers/nope/test").status == 404


def test_probing_names_unreachable_unauthorized_and_timeout_within_seconds(admin, fake, monkeypatch):
    add_fake(admin, fake)
    admin.post("/api/providers", {"name": "closed", "base_url": f"http://127.0.0.1:{free_port()}/v1",
                                  "default_model": "m"})
    closed = admin.post("/api/providers/closed/test").json
    assert closed["status"] == "error" and closed["error"].startswith("unreachable")
    monkeypatch.setenv(KEY_ENV, "sk-wrong")
    bad_key = admin.post("/api/providers/fake/test").json
    assert bad_key["status"] == "error" and bad_key["error"].startswith("unauthorized") and "401" in bad_key["error"]
    monkeypatch.setenv(KEY_ENV, fake.key)
    admin.post("/api/settings", {"llm_timeout_seconds": "1"})
    fake.models_delay = 3.0
    started = time.monotonic()
    slow = admin.post("/api/providers/fake/test").json
    assert slow["status"] == "error" and slow["error"].startswith("timeout") and time.monotonic() - started < 3
    monkeypatch.delenv(KEY_ENV)
    missing = admin.post("/api/providers/fake/test").json
    assert missing["status"] == "error" and KEY_ENV in missing["error"]


def test_models_of_a_named_provider_and_its_failures(admin, fake, monkeypatch):
    add_fake(admin, fake)
    assert admin.get("/api/models").json["models"] == ["offline-deterministic"]
    assert admin.get("/api/models?provider=fake").json["models"] == ["fallback-model", "gpt-4o", "gpt-4o-mini"]
    assert admin.get("/api/models?provider=nope").status == 404
    monkeypatch.setenv(KEY_ENV, "sk-wrong")
    failed = admin.get("/api/models?provider=fake")
    assert failed.status == 502 and failed.json["status"] == "error" and "unauthorized" in failed.json["error"]
    assert "detail" in failed.json


def test_a_caller_supplied_key_or_base_url_is_admin_only_and_checked(admin, member, fake):
    add_fake(admin, fake)
    assert member.get("/api/models?provider=fake").status == 200
    assert member.get(f"/api/models?provider=fake&key={fake.key}").status == 403
    assert member.get(f"/api/models?provider=fake&base_url={fake.url}").status == 403
    denied = [entry["message"] for entry in admin.get("/api/permissions").json]
    assert any("/api/models" in message for message in denied)
    custom = admin.get(f"/api/models?provider=openai&key={fake.key}&base_url={fake.url}")
    assert custom.status == 200 and custom.json["models"] == ["fallback-model", "gpt-4o", "gpt-4o-mini"]
    for url in ("http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "http://[fd00:ec2::254]/"):
        assert admin.get(f"/api/models?provider=openai&key=k&base_url={url}").status == 400, url


def test_only_admins_change_providers(viewer, member, admin, fake):
    add_fake(admin, fake)
    body = {"name": "x", "base_url": fake.url, "default_model": "m"}
    for client in (viewer, member):
        assert client.post("/api/providers", body).status == 403
        assert client.post("/api/providers/x", body).status == 403
        assert client.request("PATCH", "/api/providers/fake", {"enabled": False}).status == 403
        assert client.delete("/api/providers/fake").status == 403
        assert client.post("/api/providers/fake/use").status == 403
    assert viewer.get("/api/providers").status == 200 and viewer.post("/api/providers/fake/test").status == 200
