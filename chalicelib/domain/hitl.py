"""Human-in-the-loop items: checkpoints that pause a job, and experiences awaiting review."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

HitlStatus = Literal["pending", "approved", "rejected", "expired", "cancelled"]


class HitlItem(BaseModel):
    """What every item waiting for a human has: who it belongs to and how it was decided."""

    id: str
    team_id: str
    job_slug: str
    status: HitlStatus = "pending"
    reason: str | None = None
    decided_by: str | None = None
    created_at: str
    decided_at: str | None = None


class Checkpoint(HitlItem):
    """A gate at which a job waits; approving resumes it, rejecting ends it."""

    type: Literal["checkpoint"] = "checkpoint"
    phase: str
    gate: Literal["phase", "security_findings"] = "phase"
    action: str
    summary: str
    documents: list[str] = Field(default_factory=list)


class Experience(HitlItem):
    """A lesson a job taught an agent; used by the team's later jobs only once approved."""

    type: Literal["experience"] = "experience"
    agent: str
    kind: str
    content: str
    data: dict = Field(default_factory=dict)


class HitlQueue(BaseModel):
    pending: list[dict]
    counts: dict[str, int]
