"""The LLM layer against a local OpenAI-speaking server: usage and prices, retries, fallback, limits, timeouts."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest

from chalicelib.agents.errors import CostLimitExceeded
from chalicelib.llm import binding, pricing
from chalicelib.llm.errors import LLMCallFailed
from chalicelib.store import costs
from tests.support.fake_openai import FakeOpenAI, make_active_provider

KEY_ENV = "FAKE_OPENAI_KEY"


@pytest.fixture
def fake(admin, monkeypatch):
    """The fake server, registered as provider `fake` (key from an env var) and made active."""
    server = FakeOpenAI().start()
    make_active_provider(admin, server, "fake", KEY_ENV, monkeypatch)
    yield server
    server.stop()


def settings(admin, **values) -> None:
    reply = admin.post("/api/settings", {key: str(value) for key, value in values.items()})
    assert reply.status == 200, reply.body


def rows(team: str = "team-a") -> list[dict]:
    return costs.recent_rows(team, 1000)


def test_a_paid_call_records_the_reported_tokens_and_the_genai_prices_cost(admin, fake):
    llm = binding.for_phase("team-a", "pantry", "ba", "ba_agent")
    assert llm.ask("spec", "Describe the app.", lambda: "offline answer") == "OK from the fake provider"
    [row] = rows()
    expected = pricing.price(None, "gpt-4o-mini", 1200, 345)
    assert expected and expected > 0
    assert row["provider"] == "fake" and row["model"] == "gpt-4o-mini" and row["agent"] == "ba_agent"
    assert (row["tokens_in"], row["tokens_out"]) == (1200, 345) and row["price_unknown"] is False
    assert Decimal(str(row["cost_usd"])) == expected and row["job_slug"] == "pantry" and row["phase"] == "ba"
    request = fake.chat_requests[0]
    assert request["messages"][0]["role"] == "system" and "business analyst" in request["messages"][0]["content"]
    assert request["messages"][1] == {"role": "user", "content": "Describe the app."}
    summary = admin.get("/api/costs/summary").json
    assert summary["total_calls"] == 1 and summary["total_cost_usd"] == pytest.approx(float(expected), abs=1e-9)


def test_an_unknown_model_is_flagged_price_unknown_not_free(admin, fake):
    admin.request("PATCH", "/api/agents/ba_agent", {"model": "fallback-model"})
    binding.for_phase("team-a", None, "ba", "ba_agent").ask("spec", "x", lambda: "offline")
    [row] = rows()
    assert row["model"] == "fallback-model" and row["price_unknown"] is True and row["tokens_in"] == 1200
    assert admin.get("/api/costs/summary").json["price_unknown_calls"] == 1


def test_429s_are_retried_with_backoff_then_answered(admin, fake):
    settings(admin, llm_max_retries=2)
    fake.script.extend([("status", 429), ("status", 503)])
    answer = binding.for_phase("team-a", None, "ba", "ba_agent").ask("spec", "x", lambda: "offline")
    assert answer == "OK from the fake provider"
    assert len(fake.models_for("gpt-4o-mini")) == 3
    assert len(rows()) == 1


def test_500s_land_on_the_smart_model_fallback_and_are_logged(admin, fake):
    settings(admin, llm_max_retries=1, smart_model_fallback="gpt-4o")
    fake.failing_models["gpt-4o-mini"] = 500
    llm = binding.for_phase("team-a", "pantry", "dev", "dev_agent")
    assert llm.ask("code", "Write it.", lambda: "offline") == "OK from the fake provider"
    assert len(fake.models_for("gpt-4o-mini")) == 2 and len(fake.models_for("gpt-4o")) == 1
    [row] = rows()
    assert row["model"] == "gpt-4o" and row["fallback_from"] == "gpt-4o-mini"
    assert Decimal(str(row["cost_usd"])) == pricing.price(None, "gpt-4o", 1200, 345)
    log = admin.get("/api/agents?limit=10").json
    fallbacks = [entry for entry in log if entry["kind"] == "llm_fallback"]
    assert fallbacks and fallbacks[0]["agent"] == "dev_agent" and "gpt-4o" in fallbacks[0]["message"]
    assert fallbacks[0]["details"]["reason"] == "server_error"


def test_when_the_fallback_fails_too_the_error_names_both_models(admin, fake):
    settings(admin, llm_max_retries=0, smart_model_fallback="gpt-4o")
    fake.failing_models.update({"gpt-4o-mini": 500, "gpt-4o": 502})
    with pytest.raises(LLMCallFailed) as raised:
        binding.for_phase("team-a", None, "dev", "dev_agent").ask("code", "x", lambda: "offline")
    assert "gpt-4o-mini" in str(raised.value) and "fallback model gpt-4o" in str(raised.value)
    assert rows() == [] and costs.committed_today("team-a") == 0


def test_a_bad_key_is_unauthorized_and_neither_retried_nor_fallen_back(admin, fake, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "sk-wrong")
    with pytest.raises(LLMCallFailed, match="unauthorized"):
        binding.for_phase("team-a", None, "ba", "ba_agent").ask("spec", "x", lambda: "offline")


def test_a_slow_answer_times_out_within_seconds(admin, fake):
    settings(admin, llm_timeout_seconds=1, llm_max_retries=0)
    fake.script.extend([("slow", 4.0), ("slow", 4.0)])
    started = time.monotonic()
    with pytest.raises(LLMCallFailed, match="timeout"):
        binding.for_phase("team-a", None, "ba", "ba_agent").ask("spec", "x", lambda: "offline")
    assert time.monotonic() - started < 4


def test_a_daily_limit_of_one_cent_stops_a_paid_call_and_says_by_how_much(admin, fake):
    settings(admin, daily_cost_limit="0.01")
    admin.request("PATCH", "/api/agents/dev_agent", {"model": "gpt-4o"})
    with pytest.raises(CostLimitExceeded) as raised:
        binding.for_phase("team-a", "pantry", "dev", "dev_agent").ask("code", "x", lambda: "offline")
    message = str(raised.value)
    assert "daily cost limit" in message and "$0.01 limit" in message and "over the limit" in message
    assert fake.chat_requests == [] and rows() == []


def test_spend_already_at_the_limit_refuses_the_next_call(admin, fake):
    settings(admin, daily_cost_limit="0.01", llm_max_output_tokens=100)
    costs.record(costs.CostRow("team-a", None, "ba", "ba_agent", "spec", "fake", "gpt-4o", 1, 1, Decimal("0.0100"),
                               False, 5))
    with pytest.raises(CostLimitExceeded, match=r"spent or reserved \$0\.0100"):
        binding.for_phase("team-a", None, "ba", "ba_agent").ask("spec", "x", lambda: "offline")
    assert admin.get("/api/costs/summary").json["total_calls"] == 1


def test_concurrent_calls_cannot_together_overshoot_the_daily_limit(admin, fake):
    settings(admin, daily_cost_limit="0.02")
    system_prompt = binding.for_phase("team-a", None, "ba", "ba_agent").system_prompt
    worst = pricing.price(None, "gpt-4o-mini", binding.estimate_tokens(system_prompt + "x"), 8192)
    assert worst and 4 * worst <= Decimal("0.02") < 5 * worst
    fake.script.extend([("slow", 1.0)] * 10)
    outcomes: list[str] = []

    def call() -> None:
        llm = binding.for_phase("team-a", "pantry", "ba", "ba_agent")
        try:
            llm.ask("spec", "x", lambda: "offline")
            outcomes.append("answered")
        except CostLimitExceeded:
            outcomes.append("refused")

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("answered") <= 4 and outcomes.count("refused") >= 6
    spent = sum(Decimal(str(row["cost_usd"])) for row in rows())
    assert spent <= Decimal("0.02") and costs.committed_today("team-a") == spent


def test_switching_the_active_provider_is_effective_on_the_next_call(admin, fake):
    llm = binding.for_phase("team-a", None, "ba", "ba_agent")
    assert admin.post("/api/providers/offline/use").status == 200
    assert llm.ask("spec", "x", lambda: "offline answer") == "offline answer"
    assert admin.post("/api/providers/fake/use").status == 200
    assert llm.ask("spec", "x", lambda: "offline answer") == "OK from the fake provider"
    assert [row["provider"] for row in rows()] == ["fake", "offline"]


def test_an_edited_model_and_prompt_are_what_the_next_phase_uses(admin, fake):
    admin.post("/api/agents/config/architect_agent", {"model": "gpt-4o", "system_prompt": "You are terse."})
    binding.for_phase("team-a", None, "architect", "architect_agent").ask("plan", "x", lambda: "offline")
    request = fake.chat_requests[-1]
    assert request["model"] == "gpt-4o" and request["messages"][0]["content"] == "You are terse."
