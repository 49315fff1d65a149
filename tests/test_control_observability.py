"""Observability over HTTP: workflow counts, logs, exact cost figures agreeing with the rows, KPIs, isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chalicelib.store import costs

JOB = {"name": "Pantry Saver", "description": "Track food expiry dates in the pantry.", "features": "inventory"}


def record(team: str, agent: str, job: str | None, cost: str, tokens: tuple[int, int] = (100, 20),
           unknown: bool = False) -> None:
    costs.record(costs.CostRow(team, job, "dev", agent, "code", "fake", "gpt-4o-mini", tokens[0], tokens[1],
                               Decimal(cost), unknown, 7))


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def assert_figures_agree_with_rows(client, team: str) -> None:
    """Summary, by-agent, by-job, daily and KPIs against the raw rows, to the cent (and in fact exactly)."""
    rows = costs.recent_rows(team, 10_000)
    total = sum((Decimal(str(row["cost_usd"])) for row in rows), Decimal(0))
    summary = client.get("/api/costs/summary").json
    assert summary["total_calls"] == len(rows) and cents(summary["total_cost_usd"]) == cents(total)
    assert summary["total_cost_usd"] == pytest.approx(float(total), abs=1e-6)
    by_agent = {entry["agent"]: entry for entry in client.get("/api/costs/by-agent").json}
    for agent in {row["agent"] for row in rows}:
        mine = [row for row in rows if row["agent"] == agent]
        assert by_agent[agent]["calls"] == len(mine)
        assert cents(by_agent[agent]["cost_usd"]) == cents(sum(Decimal(str(row["cost_usd"])) for row in mine))
        assert by_agent[agent]["tokens_in"] == sum(row["tokens_in"] for row in mine)
        assert by_agent[agent]["tokens_out"] == sum(row["tokens_out"] for row in mine)
    by_job = {entry["job_slug"]: entry for entry in client.get("/api/costs/by-job").json}
    for job in {row["job_slug"] for row in rows if row["job_slug"]}:
        mine = [row for row in rows if row["job_slug"] == job]
        assert by_job[job]["calls"] == len(mine)
        assert cents(by_job[job]["cost_usd"]) == cents(sum(Decimal(str(row["cost_usd"])) for row in mine))
    daily = client.get("/api/costs/daily?days=1").json
    assert daily[0]["calls"] == len(rows) and cents(daily[0]["cost_usd"]) == cents(total)
    assert cents(client.get("/api/kpis").json["total_cost"]) == cents(total)
    overview = client.get("/api/costs").json
    assert cents(overview["total_cost_usd"]) == cents(total)
    assert overview["total_tokens"] == sum(row["tokens_in"] + row["tokens_out"] for row in rows)


def test_cost_figures_are_exact_and_agree_with_the_rows(admin):
    record("team-a", "dev_agent", "pantry", "0.123456789")
    record("team-a", "dev_agent", "pantry", "0.000000001")
    record("team-a", "ba_agent", "notes", "0.5")
    record("team-a", "qa_agent", None, "0", unknown=True)
    summary = admin.get("/api/costs/summary").json
    assert summary == {"total_cost_usd": 0.623457, "total_calls": 4, "avg_cost_per_call": 0.1559,
                       "top_agent": "ba_agent", "total_tokens_in": 400, "total_tokens_out": 80,
                       "price_unknown_calls": 1}
    assert [entry["agent"] for entry in admin.get("/api/costs/by-agent").json] == ["ba_agent", "dev_agent", "qa_agent"]
    assert admin.get("/api/costs/by-job").json == [
        {"job_slug": "notes", "cost_usd": 0.5, "calls": 1, "tokens_in": 100, "tokens_out": 20},
        {"job_slug": "pantry", "cost_usd": 0.123457, "calls": 2, "tokens_in": 200, "tokens_out": 40},
    ]
    overview = admin.get("/api/costs").json
    assert overview["by_task"] == {"notes": 0.5, "pantry": 0.123457} and overview["by_agent"]["qa_agent"] == 0.0
    assert len(overview["recent_calls"]) == 4 and overview["price_unknown_calls"] == 1
    assert_figures_agree_with_rows(admin, "team-a")


def test_a_job_on_the_offline_provider_records_free_rows_that_the_figures_agree_with(member):
    slug = member.post("/api/jobs", JOB).json["slug"]
    assert member.wait_for_job(slug)["status"] == "succeeded"
    rows = costs.recent_rows("team-a", 10_000)
    assert rows and all(row["provider"] == "offline" and row["model"] == "offline-deterministic" for row in rows)
    assert all(row["cost_usd"] == 0 and row["price_unknown"] is False and row["tokens_in"] > 0 for row in rows)
    assert {row["job_slug"] for row in rows} == {slug}
    assert_figures_agree_with_rows(member, "team-a")
    job = member.get(f"/api/jobs/{slug}").json
    assert job["tokens_in"] == sum(row["tokens_in"] for row in rows)
    calls = [entry for entry in member.get("/api/agents?limit=500").json if entry["kind"] == "llm_call"]
    assert len(calls) == len(rows)
    tasks = member.get("/api/tasks").json
    assert tasks["total"] == 1 and tasks["success"] == 1 and tasks["failed"] == 0 and len(tasks["recent"]) == 20


def test_daily_has_one_row_per_day_oldest_first_zero_days_included(admin):
    record("team-a", "dev_agent", None, "0.25")
    days = admin.get("/api/costs/daily?days=7").json
    today = dt.datetime.now(dt.UTC).date()
    assert [day["date"] for day in days] == [(today - dt.timedelta(days=n)).isoformat() for n in range(6, -1, -1)]
    assert days[-1] == {"date": today.isoformat(), "cost_usd": 0.25, "calls": 1}
    assert all(day == {"date": day["date"], "cost_usd": 0.0, "calls": 0} for day in days[:-1])
    assert len(admin.get("/api/costs/daily").json) == 7
    for bad in ("0", "31", "week"):
        assert admin.get(f"/api/costs/daily?days={bad}").status == 400


def test_empty_figures_are_zero_not_errors(viewer):
    assert viewer.get("/api/costs/summary").json["top_agent"] is None
    assert viewer.get("/api/costs/by-agent").json == [] and viewer.get("/api/costs/by-job").json == []
    kpis = viewer.get("/api/kpis").json
    assert kpis["total_projects"] == 0 and kpis["success_rate"] == 0.0 and kpis["total_cost"] == 0.0


def test_costs_and_logs_are_team_scoped(admin, other_team, viewer):
    record("team-a", "dev_agent", "pantry", "1.5")
    record("team-b", "ba_agent", "theirs", "0.25")
    viewer.post("/api/settings", {"daily_cost_limit": "1"})
    assert other_team.get("/api/costs/summary").json["total_cost_usd"] == 0.25
    assert admin.get("/api/costs/summary").json["total_cost_usd"] == 1.5
    assert [entry["job_slug"] for entry in other_team.get("/api/costs/by-job").json] == ["theirs"]
    assert other_team.get("/api/permissions").json == []
    assert len(admin.get("/api/permissions").json) == 1
    assert all(entry["team_id"] == "team-b" for entry in other_team.get("/api/tasks").json["recent"])


def test_the_agent_log_is_newest_first_and_bounded(admin):
    for agent in ("ba_agent", "dev_agent", "qa_agent"):
        admin.request("PATCH", f"/api/agents/{agent}", {"model": "gpt-4o"})
    admin.post("/api/settings", {"daily_cost_limit": "2"})
    log = admin.get("/api/agents?limit=2").json
    assert [entry["agent"] for entry in log] == ["qa_agent", "dev_agent"]
    assert all(entry.get("agent") for entry in admin.get("/api/agents").json)
    for bad in ("0", "501", "many"):
        assert admin.get(f"/api/agents?limit={bad}").status == 400


def test_permissions_lists_denials_newest_first(viewer, admin):
    viewer.post("/api/settings", {"daily_cost_limit": "1"})
    viewer.delete("/api/projects/x")
    denied = admin.get("/api/permissions").json
    assert [entry["details"]["route"] for entry in denied] == ["DELETE /api/projects/{slug}", "POST /api/settings"]
    assert all(entry["details"]["status"] == 403 for entry in denied)


def test_kpis_count_projects_jobs_models_and_providers(admin, member):
    for name, status in (("A", "discovery"), ("B", "production"), ("C", "production"), ("D", "blocked")):
        member.post("/api/projects", {"name": name, "status": status})
    slug = member.post("/api/jobs", JOB).json["slug"]
    member.wait_for_job(slug)
    record("team-a", "dev_agent", slug, "0.75")
    kpis = admin.get("/api/kpis").json
    assert kpis["total_projects"] == 4
    assert kpis["status_breakdown"] == {"discovery": 1, "development": 0, "production": 2, "blocked": 1}
    assert kpis["success_rate"] == 100.0 and kpis["total_cost"] == 0.75
    assert kpis["active_models"] == 1 and kpis["active_providers"] == 10
    admin.request("PATCH", "/api/providers/groq", {"enabled": False})
    assert admin.get("/api/kpis").json["active_providers"] == 9
