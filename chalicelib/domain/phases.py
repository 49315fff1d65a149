"""The pipeline's phase names and statuses, shared by the API and the pipeline."""

from __future__ import annotations

from typing import Literal

PHASES: tuple[str, ...] = (
    "create",
    "ba",
    "backend",
    "architect",
    "uiux",
    "dev",
    "qa",
    "refactor",
    "repair",
    "runtime",
    "security",
    "reviewer",
    "export",
)

PhaseStatus = Literal["pending", "running", "passed", "failed", "skipped", "cancelled"]
JobStatus = Literal["queued", "running", "waiting_approval", "succeeded", "failed", "cancelled"]

ACTIVE_JOB_STATUSES: frozenset[str] = frozenset({"queued", "running", "waiting_approval"})
JOB_STATUSES: tuple[str, ...] = ("queued", "running", "waiting_approval", "succeeded", "failed", "cancelled")
