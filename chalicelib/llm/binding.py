"""An agent bound to its model and the active provider for one phase of one job, with cost accounting.

Every `ask` reads the active provider and the settings afresh (effective on the next call, no
restart), reserves its worst-case cost against the team's daily limit, calls the provider (retries,
then one try on `smart_model_fallback`), and records one cost row with its counters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

from chalicelib.agents.errors import CostLimitExceeded
from chalicelib.domain.providers import Provider
from chalicelib.llm import pricing, providers
from chalicelib.llm.agent_defaults import PROVIDER_DEFAULT_MODEL
from chalicelib.llm.errors import AgentDisabled, LLMCallFailed, ProviderFailure
from chalicelib.llm.providers import OFFLINE_MODEL, Endpoint
from chalicelib.store import activity, agents, costs, settings

OFFLINE_PROVIDER = providers.OFFLINE


def estimate_tokens(text: str) -> int:
    """Roughly four characters a token: the offline provider's usage, and the pre-call estimate."""
    return max(1, (len(text) + 3) // 4)


def resolve_model(agent_model: str, provider: Provider) -> str:
    """The model an agent configured with `agent_model` asks on `provider` (`default`: the provider's)."""
    if provider.name == OFFLINE_PROVIDER:
        return OFFLINE_MODEL
    return provider.default_model if agent_model == PROVIDER_DEFAULT_MODEL else agent_model


def with_lessons(system_prompt: str, lessons: list[str]) -> str:
    """The agent's system prompt plus the lessons its team approved from earlier jobs."""
    if not lessons:
        return system_prompt
    listed = "\n".join(f"- {lesson}" for lesson in lessons)
    return f"{system_prompt}\n\nLessons your team approved from earlier jobs (apply them where they fit):\n{listed}"


def for_phase(team_id: str, job_slug: str | None, phase: str, agent_id: str, lessons: list[str] | None = None) -> AgentLLM:
    """The agent as stored now (model, prompt, status) with its team's approved lessons; AgentDisabled when off."""
    config = agents.get(agent_id)
    if config.status == "disabled":
        raise AgentDisabled(f"agent {agent_id!r} is disabled; enable it (PATCH /api/agents/{agent_id}) "
                            f"to run the {phase} phase")
    return AgentLLM(team_id, job_slug, phase, agent_id, with_lessons(config.system_prompt, lessons or []), config.model)


class AgentLLM:
    """Implements chalicelib.pipeline.context.LLM for one agent in one phase."""

    def __init__(self, team_id: str, job_slug: str | None, phase: str, agent_id: str, system_prompt: str,
                 model: str = PROVIDER_DEFAULT_MODEL) -> None:
        self.team_id = team_id
        self.job_slug = job_slug
        self.phase = phase
        self.agent_id = agent_id
        self.system_prompt = system_prompt
        self.model = model

    def model_for(self, provider: Provider) -> str:
        """The model this agent asks on `provider`."""
        return resolve_model(self.model, provider)

    def ask(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        """The active provider's answer (the offline one computes it locally); one cost row per call."""
        provider = providers.active()
        if provider.name == OFFLINE_PROVIDER:
            return self._ask_offline(task, prompt, offline)
        endpoint = providers.endpoint(provider)
        config = settings.get_all()
        model = self.model_for(provider)
        try:
            return self._ask_model(endpoint, model, task, prompt, config)
        except ProviderFailure as failure:
            fallback = config["smart_model_fallback"]
            if not failure.fallback_allowed or fallback == model:
                raise LLMCallFailed(f"{self.agent_id} got no answer from {provider.name} model {model}: {failure}") from failure
            activity.record(self.team_id, "llm_fallback", f"{self.agent_id}: {model} failed ({failure}); "
                            f"trying fallback model {fallback}", level="warning", job_slug=self.job_slug,
                            phase=self.phase, agent=self.agent_id,
                            details={"provider": provider.name, "model": model, "fallback": fallback,
                                     "reason": failure.kind, "task": task})
            try:
                return self._ask_model(endpoint, fallback, task, prompt, config, fallback_from=model)
            except ProviderFailure as second:
                raise LLMCallFailed(f"{self.agent_id} got no answer from {provider.name}: model {model}: {failure}; "
                                    f"fallback model {fallback}: {second}") from second

    def _ask_offline(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        started = time.perf_counter()
        answer = offline()
        latency_ms = int((time.perf_counter() - started) * 1000)
        self._record(task, OFFLINE_PROVIDER, OFFLINE_MODEL, estimate_tokens(self.system_prompt + prompt),
                     estimate_tokens(answer), Decimal(0), latency_ms, None)
        return answer

    def _reserve(self, endpoint: Endpoint, model: str, prompt: str, config: dict[str, str]) -> costs.Reservation:
        """Hold the call's worst case (estimated input, `llm_max_output_tokens` out) against today's limit."""
        limit = Decimal(config["daily_cost_limit"])
        worst = pricing.price(endpoint.pricing_id, model, estimate_tokens(self.system_prompt + prompt),
                              int(config["llm_max_output_tokens"]))
        try:
            return costs.reserve(self.team_id, worst or Decimal(0), limit)
        except costs.DailyLimitReached as reached:
            raise CostLimitExceeded(
                f"daily cost limit reached: team {self.team_id} has spent or reserved ${reached.committed:.4f} "
                f"of its ${limit:.2f} limit today, and this call to {model} could cost up to ${reached.amount:.4f}, "
                f"${reached.overshoot:.4f} over the limit; raise daily_cost_limit or wait until tomorrow (UTC)"
            ) from reached

    def _ask_model(self, endpoint: Endpoint, model: str, task: str, prompt: str, config: dict[str, str],
                   fallback_from: str | None = None) -> str:
        from chalicelib.llm import client

        reservation = self._reserve(endpoint, model, prompt, config)
        started = time.perf_counter()
        try:
            completion = client.complete(endpoint, model, self.system_prompt, prompt,
                                         timeout=float(config["llm_timeout_seconds"]),
                                         max_retries=int(config["llm_max_retries"]),
                                         max_tokens=int(config["llm_max_output_tokens"]), estimate=estimate_tokens)
        except BaseException:
            costs.release(reservation)
            raise
        latency_ms = int((time.perf_counter() - started) * 1000)
        cost = pricing.price(endpoint.pricing_id, model, completion.tokens_in, completion.tokens_out)
        self._record(task, endpoint.name, model, completion.tokens_in, completion.tokens_out, cost, latency_ms,
                     reservation, fallback_from=fallback_from, usage_reported=completion.usage_reported)
        return completion.text

    def _record(self, task: str, provider: str, model: str, tokens_in: int, tokens_out: int, cost: Decimal | None,
                latency_ms: int, reservation: costs.Reservation | None, fallback_from: str | None = None,
                usage_reported: bool = True) -> None:
        row = costs.CostRow(
            team_id=self.team_id, job_slug=self.job_slug, phase=self.phase, agent=self.agent_id, task=task,
            provider=provider, model=model, tokens_in=tokens_in, tokens_out=tokens_out,
            cost_usd=cost if cost is not None else Decimal(0), price_unknown=cost is None, latency_ms=latency_ms,
            fallback_from=fallback_from, usage_reported=usage_reported,
        )
        costs.record(row, reservation)
        price = "price unknown" if cost is None else f"${cost:.6f}"
        activity.record(self.team_id, "llm_call", f"{self.agent_id} {task}: {provider}/{model}, "
                        f"{tokens_in} in + {tokens_out} out tokens, {price}, {latency_ms} ms",
                        job_slug=self.job_slug, phase=self.phase, agent=self.agent_id,
                        details={"provider": provider, "model": model, "tokens_in": tokens_in,
                                 "tokens_out": tokens_out, "cost_usd": float(cost or 0),
                                 "price_unknown": cost is None, "latency_ms": latency_ms,
                                 "fallback_from": fallback_from})
