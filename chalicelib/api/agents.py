"""Agent configuration endpoints (platform-wide). `GET /api/agents` is the activity log: see observability."""

from __future__ import annotations

import time

from chalice import Blueprint

from chalicelib.agents.errors import PhaseError
from chalicelib.api.errors import ApiError, ConflictError, NotFoundError
from chalicelib.api.routing import route
from chalicelib.auth import Principal
from chalicelib.domain.agents import AgentConfig, AgentConfigSet, AgentConfigSummary, AgentPatch, AgentTestResult
from chalicelib.llm import binding, providers
from chalicelib.store import activity, agents
from chalicelib.store.errors import NotFound

blueprint = Blueprint(__name__)

TEST_PROMPT = "This is a connectivity test. Reply with the single word OK."
MAX_TEST_ANSWER_CHARS = 500


def _agent(agent_id: str) -> AgentConfig:
    try:
        return agents.get(agent_id)
    except NotFound as error:
        raise NotFoundError(f"agent {agent_id!r} not found") from error


def _update(caller: Principal, agent_id: str, changes: dict) -> AgentConfig:
    _agent(agent_id)
    updated = agents.update(agent_id, changes)
    activity.record(caller.team_id, "agent_changed", f"agent {agent_id} changed: {', '.join(sorted(changes))}",
                    agent=agent_id, details={key: value for key, value in changes.items() if key != "system_prompt"})
    return updated


@route(blueprint, "/api/agents/config", "GET", "Every pipeline agent's model and system prompt",
       response=list[AgentConfigSummary], tag="agents")
def list_configs(_caller: Principal) -> list[AgentConfigSummary]:
    return [AgentConfigSummary.model_validate(config.model_dump()) for config in agents.list_all()]


@route(blueprint, "/api/agents/config/{agent_id}", "POST", "Set an agent's model and/or system prompt",
       role="admin", body=AgentConfigSet, response=AgentConfig, tag="agents")
def set_config(caller: Principal, body: AgentConfigSet, agent_id: str) -> AgentConfig:
    return _update(caller, agent_id, body.model_dump(exclude_none=True))


@route(blueprint, "/api/agents/{agent_id}", "GET", "One agent's configuration", response=AgentConfig, tag="agents")
def get_agent(_caller: Principal, agent_id: str) -> AgentConfig:
    return _agent(agent_id)


@route(blueprint, "/api/agents/{agent_id}", "PATCH", "Change an agent's model, system prompt or status",
       role="admin", body=AgentPatch, response=AgentConfig, tag="agents")
def patch_agent(caller: Principal, body: AgentPatch, agent_id: str) -> AgentConfig:
    return _update(caller, agent_id, body.model_dump(exclude_none=True))


@route(blueprint, "/api/agents/{agent_id}/test", "POST", "Send a short prompt through the agent's provider and model",
       role="member", response=AgentTestResult, tag="agents")
def test_agent(caller: Principal, agent_id: str) -> AgentTestResult:
    config = _agent(agent_id)
    if config.status == "disabled":
        raise ConflictError(f"agent {agent_id!r} is disabled; enable it first")
    llm = binding.for_phase(caller.team_id, None, "test", agent_id)
    model = llm.model_for(providers.active())
    started = time.perf_counter()
    try:
        answer = llm.ask("agent_test", TEST_PROMPT, lambda: "OK")
    except PhaseError as error:
        raise ApiError(f"agent {agent_id} test failed: {error}", status=502,
                       extra={"agent_id": agent_id, "model": model, "status": "error", "error": str(error)}) from error
    return AgentTestResult(agent_id=agent_id, model=model, response=answer.strip()[:MAX_TEST_ANSWER_CHARS],
                           latency_ms=int((time.perf_counter() - started) * 1000))
