"""Agent configurations over HTTP: seeding, edits, status, the test call, roles, and their use by jobs."""

from __future__ import annotations

import pytest

from chalicelib.llm.agent_defaults import AGENT_DEFAULTS
from chalicelib.store import agents
from tests.support.fake_openai import FakeOpenAI

JOB = {"name": "Pantry Saver", "description": "Track food expiry dates in the pantry.", "features": "inventory"}


def test_the_config_list_has_every_pipeline_agent_with_a_real_prompt(viewer):
    reply = viewer.get("/api/agents/config")
    assert reply.status == 200
    configs = reply.json
    assert [config["agent_id"] for config in configs] == list(AGENT_DEFAULTS)
    for config in configs:
        assert set(config) == {"agent_id", "name", "model", "system_prompt", "updated_at"}
        assert len(config["system_prompt"]) > 80 and config["model"] == "default" and config["updated_at"].endswith("Z")


def test_seeding_is_idempotent_and_never_overwrites_an_edit(admin):
    admin.request("PATCH", "/api/agents/qa_agent", {"system_prompt": "Edited prompt."})
    agents.list_all()
    agents.list_all()
    configs = admin.get("/api/agents/config").json
    assert len(configs) == len(AGENT_DEFAULTS)
    assert next(c for c in configs if c["agent_id"] == "qa_agent")["system_prompt"] == "Edited prompt."


def test_one_agent_has_type_status_and_description_and_unknown_is_404(viewer):
    agent = viewer.get("/api/agents/ba_agent").json
    assert agent["agent_id"] == "ba_agent" and agent["type"] == "analysis" and agent["status"] == "active"
    assert agent["name"] == "Business Analyst" and agent["description"]
    assert viewer.get("/api/agents/nobody").status == 404


def test_the_config_path_is_not_captured_by_the_agent_id_route(viewer):
    assert isinstance(viewer.get("/api/agents/config").json, list)
    assert viewer.get("/api/agents").status == 200


def test_admin_sets_model_and_prompt_and_patches_status(admin):
    updated = admin.post("/api/agents/config/dev_agent", {"model": "gpt-4o", "system_prompt": "Write Dart."})
    assert updated.status == 200 and updated.json["model"] == "gpt-4o" and updated.json["system_prompt"] == "Write Dart."
    patched = admin.request("PATCH", "/api/agents/dev_agent", {"status": "disabled"})
    assert patched.json["status"] == "disabled" and patched.json["model"] == "gpt-4o"
    assert admin.get("/api/agents/dev_agent").json["status"] == "disabled"
    assert any(entry["kind"] == "agent_changed" for entry in admin.get("/api/agents?limit=5").json)


@pytest.mark.parametrize("body, field", [
    ({}, "at least one"),
    ({"status": "sleeping"}, "status"),
    ({"model": "has spaces"}, "model"),
    ({"system_prompt": ""}, "system_prompt"),
    ({"temperature": 2}, "temperature"),
])
def test_bad_agent_changes_are_400_naming_the_field(admin, body, field):
    reply = admin.request("PATCH", "/api/agents/ba_agent", body)
    assert reply.status == 400 and field in reply.json["detail"]


def test_unknown_agents_cannot_be_changed(admin):
    assert admin.request("PATCH", "/api/agents/nobody", {"model": "m"}).status == 404
    assert admin.post("/api/agents/config/nobody", {"model": "m"}).status == 404


def test_only_admins_change_agents_and_viewers_cannot_test(viewer, member):
    for client in (viewer, member):
        assert client.request("PATCH", "/api/agents/ba_agent", {"model": "m"}).status == 403
        assert client.post("/api/agents/config/ba_agent", {"model": "m"}).status == 403
    assert viewer.post("/api/agents/ba_agent/test").status == 403
    assert member.post("/api/agents/ba_agent/test").status == 200


def test_the_agent_test_answers_through_the_offline_provider(member):
    result = member.post("/api/agents/ba_agent/test").json
    assert result["agent_id"] == "ba_agent" and result["status"] == "ok" and result["response"] == "OK"
    assert result["model"] == "offline-deterministic" and result["latency_ms"] >= 0
    assert member.get("/api/costs/summary").json["total_calls"] == 1


def test_the_agent_test_goes_through_the_active_provider_and_reports_failures(admin, monkeypatch):
    server = FakeOpenAI().start()
    try:
        monkeypatch.setenv("FAKE_OPENAI_KEY", server.key)
        admin.post("/api/providers", {"name": "fake", "base_url": server.url, "api_key_env": "FAKE_OPENAI_KEY",
                                      "default_model": "gpt-4o-mini"})
        admin.post("/api/providers/fake/use")
        ok = admin.post("/api/agents/ba_agent/test").json
        assert ok["response"] == "OK from the fake provider" and ok["model"] == "gpt-4o-mini"
        assert server.chat_requests[-1]["messages"][1]["content"].endswith("Reply with the single word OK.")
        monkeypatch.setenv("FAKE_OPENAI_KEY", "sk-wrong")
        failed = admin.post("/api/agents/ba_agent/test")
        assert failed.status == 502
        body = failed.json
        assert body["status"] == "error" and body["agent_id"] == "ba_agent" and body["model"] == "gpt-4o-mini"
        assert "unauthorized" in body["error"] and body["detail"]
    finally:
        server.stop()


def test_a_disabled_agent_cannot_be_tested(admin):
    admin.request("PATCH", "/api/agents/ba_agent", {"status": "disabled"})
    assert admin.post("/api/agents/ba_agent/test").status == 409
    assert admin.post("/api/agents/nobody/test").status == 404


def test_a_disabled_agent_fails_its_phase_with_a_clear_error(admin, member):
    admin.request("PATCH", "/api/agents/ba_agent", {"status": "disabled"})
    slug = member.post("/api/jobs", JOB).json["slug"]
    job = member.wait_for_job(slug)
    assert job["status"] == "failed" and "ba_agent" in job["error"] and "disabled" in job["error"]
    rows = {row["phase"]: row for row in member.get(f"/api/jobs/{slug}/phases").json}
    assert rows["create"]["status"] == "passed" and rows["ba"]["status"] == "failed"
    assert "disabled" in rows["ba"]["error"]


def test_an_edited_prompt_is_what_the_next_job_phase_uses(admin, member, monkeypatch):
    from chalicelib.llm import binding

    seen: list[tuple[str, str]] = []
    original = binding.AgentLLM.ask

    def spy(self, task, prompt, offline):
        seen.append((self.agent_id, self.system_prompt))
        return original(self, task, prompt, offline)

    monkeypatch.setattr(binding.AgentLLM, "ask", spy)
    admin.post("/api/agents/config/ba_agent", {"system_prompt": "You are the edited analyst."})
    slug = member.post("/api/jobs", JOB).json["slug"]
    assert member.wait_for_job(slug)["status"] == "succeeded"
    assert ("ba_agent", "You are the edited analyst.") in seen
