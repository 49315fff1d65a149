"""An agent bound to its model and provider for one phase of one job, with cost accounting."""

from __future__ import annotations

import time
from collections.abc import Callable

from chalicelib.store import costs

OFFLINE_PROVIDER = "offline"
OFFLINE_MODEL = "offline-deterministic"


def estimate_tokens(text: str) -> int:
    """Roughly four characters a token: what the offline provider reports as usage."""
    return max(1, (len(text) + 3) // 4)


class AgentLLM:
    """Implements chalicelib.pipeline.context.LLM for one agent in one phase."""

    def __init__(self, team_id: str, job_slug: str, phase: str, agent_id: str, system_prompt: str) -> None:
        self.team_id = team_id
        self.job_slug = job_slug
        self.phase = phase
        self.agent_id = agent_id
        self.system_prompt = system_prompt
        self.provider = OFFLINE_PROVIDER
        self.model = OFFLINE_MODEL

    def ask(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        """Answer with the built-in offline provider and record the call's cost row."""
        started = time.perf_counter()
        answer = offline()
        latency_ms = int((time.perf_counter() - started) * 1000)
        costs.record(
            costs.CostRow(
                team_id=self.team_id,
                job_slug=self.job_slug,
                phase=self.phase,
                agent=self.agent_id,
                provider=self.provider,
                model=self.model,
                tokens_in=estimate_tokens(self.system_prompt + prompt),
                tokens_out=estimate_tokens(answer),
                cost_usd=0.0,
                price_unknown=False,
                latency_ms=latency_ms,
            )
        )
        return answer
