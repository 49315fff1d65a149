"""The phase registry: order, agent and handler of every phase. The state machine is built from it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain.phases import PHASES
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome


@dataclass(frozen=True)
class PhaseDef:
    name: str
    agent_id: str
    module: str

    def handler(self) -> Callable[[PhaseContext], PhaseOutcome]:
        """The phase's `run` function, imported on first use (keeps heavy imports off the HTTP path)."""
        return importlib.import_module(self.module).run


_AGENTS = {
    "create": "orchestrator",
    "ba": "ba_agent",
    "backend": "backend_agent",
    "architect": "architect_agent",
    "uiux": "uiux_agent",
    "dev": "dev_agent",
    "qa": "qa_agent",
    "refactor": "refactor_agent",
    "repair": "dev_agent",
    "runtime": "runtime_agent",
    "security": "security_agent",
    "reviewer": "reviewer_agent",
    "export": "orchestrator",
}

REGISTRY: dict[str, PhaseDef] = {
    name: PhaseDef(name, _AGENTS[name], f"chalicelib.agents.{name}") for name in PHASES
}

# The refactor/repair loop: after these phases a Choice reads `passed` and sends the job to
# `repair` until QA passes (or repair raises QualityGateFailed when the budget is spent).
QUALITY_PHASES = ("qa", "refactor", "repair")


def agent_of(phase: str) -> str:
    return REGISTRY[phase].agent_id


def agents_by_phase() -> dict[str, str]:
    return {name: phase.agent_id for name, phase in REGISTRY.items()}
