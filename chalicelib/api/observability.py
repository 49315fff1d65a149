"""Observability endpoints (team-scoped): workflow counts, activity logs, exact costs and KPIs.

Cost figures come from the counters the cost store keeps as rows are written (a GetItem or a short
Query), so they are exact and cost the same to read at any number of calls.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chalice import Blueprint

from chalicelib.api.routing import query_int, route
from chalicelib.auth import Principal
from chalicelib.domain.observability import AgentCost, CostOverview, CostSummary, DailyCost, JobCost, Kpis, TaskSummary
from chalicelib.domain.projects import PROJECT_STATUSES
from chalicelib.llm import providers
from chalicelib.llm.binding import resolve_model
from chalicelib.store import activity, agents, costs, jobs, projects

blueprint = Blueprint(__name__)

RECENT_ENTRIES = 20
PERMISSION_ENTRIES = 100
FINISHED = ("succeeded", "failed", "cancelled")


def usd(amount: Decimal) -> float:
    """Money on the wire: a JSON number, to the micro-dollar."""
    return float(round(amount, 6))


@route(blueprint, "/api/tasks", "GET", "Jobs by outcome and the newest log entries", response=TaskSummary,
       tag="observability")
def tasks(caller: Principal) -> TaskSummary:
    counts = {status: jobs.count_by_status(caller.team_id, status)
              for status in ("queued", "running", "waiting_approval", *FINISHED)}
    return TaskSummary(total=sum(counts.values()), success=counts["succeeded"], failed=counts["failed"],
                       running=counts["running"] + counts["waiting_approval"], queued=counts["queued"],
                       cancelled=counts["cancelled"], recent=activity.recent(caller.team_id, RECENT_ENTRIES))


@route(blueprint, "/api/agents", "GET", "The agent activity log, newest first", response=list[dict],
       tag="observability", query={"limit": "1-500, default 50"})
def agent_log(caller: Principal) -> list[dict]:
    limit = query_int(blueprint.current_request, "limit", 50, 1, 500)
    return activity.agent_log(caller.team_id, limit)


@route(blueprint, "/api/permissions", "GET", "The 100 newest permission_denied entries", response=list[dict],
       tag="observability")
def permissions(caller: Principal) -> list[dict]:
    return activity.recent(caller.team_id, PERMISSION_ENTRIES, kind="permission_denied")


@route(blueprint, "/api/costs", "GET", "Total cost and tokens, by job and by agent", response=CostOverview,
       tag="observability")
def cost_overview(caller: Principal) -> CostOverview:
    total = costs.team_totals(caller.team_id)
    return CostOverview(
        total_cost_usd=usd(total.cost_usd),
        total_tokens=total.tokens_in + total.tokens_out,
        price_unknown_calls=total.price_unknown_calls,
        by_task={counter.name: usd(counter.cost_usd) for counter in costs.by_job(caller.team_id)},
        by_agent={counter.name: usd(counter.cost_usd) for counter in costs.by_agent(caller.team_id)},
        recent_calls=costs.recent_rows(caller.team_id, RECENT_ENTRIES),
    )


@route(blueprint, "/api/costs/summary", "GET", "Total cost, calls, average per call, top agent",
       response=CostSummary, tag="observability")
def cost_summary(caller: Principal) -> CostSummary:
    total = costs.team_totals(caller.team_id)
    by_agent = costs.by_agent(caller.team_id)
    top = max(by_agent, key=lambda counter: (counter.cost_usd, counter.calls), default=None)
    average = total.cost_usd / total.calls if total.calls else Decimal(0)
    return CostSummary(total_cost_usd=usd(total.cost_usd), total_calls=total.calls,
                       avg_cost_per_call=float(round(average, 4)), top_agent=top.name if top else None,
                       total_tokens_in=total.tokens_in, total_tokens_out=total.tokens_out,
                       price_unknown_calls=total.price_unknown_calls)


@route(blueprint, "/api/costs/by-agent", "GET", "Cost, calls and tokens per agent, most expensive first",
       response=list[AgentCost], tag="observability")
def cost_by_agent(caller: Principal) -> list[AgentCost]:
    counters = sorted(costs.by_agent(caller.team_id), key=lambda counter: (-counter.cost_usd, counter.name))
    return [AgentCost(agent=counter.name, cost_usd=usd(counter.cost_usd), calls=counter.calls,
                      tokens_in=counter.tokens_in, tokens_out=counter.tokens_out,
                      price_unknown_calls=counter.price_unknown_calls) for counter in counters]


@route(blueprint, "/api/costs/by-job", "GET", "Cost and calls per job, most expensive first",
       response=list[JobCost], tag="observability")
def cost_by_job(caller: Principal) -> list[JobCost]:
    counters = sorted(costs.by_job(caller.team_id), key=lambda counter: (-counter.cost_usd, counter.name))
    return [JobCost(job_slug=counter.name, cost_usd=usd(counter.cost_usd), calls=counter.calls,
                    tokens_in=counter.tokens_in, tokens_out=counter.tokens_out) for counter in counters]


@route(blueprint, "/api/costs/daily", "GET", "Cost and calls per UTC day, oldest first, days without calls included",
       response=list[DailyCost], tag="observability", query={"days": "1-30, default 7"})
def cost_daily(caller: Principal) -> list[DailyCost]:
    days = query_int(blueprint.current_request, "days", 7, 1, 30)
    last = dt.datetime.strptime(costs.today(), "%Y-%m-%d").date()
    dates = [(last - dt.timedelta(days=offset)).isoformat() for offset in range(days - 1, -1, -1)]
    found = costs.by_day(caller.team_id, dates[0], dates[-1])
    return [DailyCost(date=date, cost_usd=usd(found[date].cost_usd) if date in found else 0.0,
                      calls=found[date].calls if date in found else 0) for date in dates]


@route(blueprint, "/api/kpis", "GET", "Projects by status, job success rate, total cost, models and providers in use",
       response=Kpis, tag="observability")
def kpis(caller: Principal) -> Kpis:
    breakdown = projects.status_counts(caller.team_id, PROJECT_STATUSES)
    finished = {status: jobs.count_by_status(caller.team_id, status) for status in FINISHED}
    done = sum(finished.values())
    registry = providers.list_all()
    active = registry.providers[registry.active]
    models = {resolve_model(config.model, active) for config in agents.list_all() if config.status == "active"}
    return Kpis(
        total_projects=sum(breakdown.values()),
        status_breakdown=breakdown,
        success_rate=round(100 * finished["succeeded"] / done, 1) if done else 0.0,
        total_cost=usd(costs.team_totals(caller.team_id).cost_usd),
        active_models=len(models),
        active_providers=sum(1 for provider in registry.providers.values() if provider.enabled),
    )
