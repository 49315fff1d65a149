"""Human-in-the-loop items: checkpoints that pause a job, and experiences awaiting review."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

HitlStatus = Literal["pending", "approved", "rejected", "expired", "cancelled"]


class Checkpoint(BaseModel):
    type: Literal["checkpoint"] = "checkpoint"
    id: str
    team_id: str
    job_slug: str
    phase: str
    gate: Literal["phase", "security_findings"] = "phase"
    action: str
    summary: str
    documents: list[str] = Field(default_factory=list)
    status: HitlStatus = "pending"
    reason: str | None = None
    decided_by: str | None = None
    created_at: str
    decided_at: str | None = None


class Experience(BaseModel):
    type: Literal["experience"] = "experience"
    id: str
    team_id: str
    job_slug: str
    agent: str
    kind: str
    content: str
    data: dict = Field(default_factory=dict)
    status: HitlStatus = "pending"
    reason: str | None = None
    decided_by: str | None = None
    created_at: str
    decided_at: str | None = None


class HitlQueue(BaseModel):
    pending: list[dict]
    counts: dict[str, int]
