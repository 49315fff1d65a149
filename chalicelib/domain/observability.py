"""What the observability endpoints return: workflow counts, activity, exact cost figures, KPIs."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TaskSummary(BaseModel):
    """Jobs by outcome (`running` includes jobs waiting for approval) and the newest log entries."""

    total: int
    success: int
    failed: int
    running: int
    queued: int
    cancelled: int
    recent: list[dict]


class CostOverview(BaseModel):
    total_cost_usd: float
    total_tokens: int
    price_unknown_calls: int = Field(description="calls whose model genai-prices does not know (counted as $0)")
    by_task: dict[str, float] = Field(description="cost per job slug")
    by_agent: dict[str, float]
    recent_calls: list[dict] = Field(description="the 20 newest cost rows")


class CostSummary(BaseModel):
    total_cost_usd: float
    total_calls: int
    avg_cost_per_call: float
    top_agent: str | None
    total_tokens_in: int
    total_tokens_out: int
    price_unknown_calls: int


class AgentCost(BaseModel):
    agent: str
    cost_usd: float
    calls: int
    tokens_in: int
    tokens_out: int
    price_unknown_calls: int


class JobCost(BaseModel):
    job_slug: str
    cost_usd: float
    calls: int
    tokens_in: int
    tokens_out: int


class DailyCost(BaseModel):
    date: str
    cost_usd: float
    calls: int


class Kpis(BaseModel):
    total_projects: int
    status_breakdown: dict[str, int]
    success_rate: float = Field(description="percent of finished jobs that succeeded, 0-100")
    total_cost: float
    active_models: int = Field(description="distinct models the active agents use on the active provider")
    active_providers: int = Field(description="enabled providers")
