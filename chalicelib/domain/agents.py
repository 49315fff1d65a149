"""Agent configurations: the model and system prompt each pipeline agent uses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AgentStatus = Literal["active", "disabled"]
MODEL_ID = r"^\S{1,200}$"
MAX_PROMPT_CHARS = 20_000


class AgentConfig(BaseModel):
    """One agent as stored: GET /api/agents/{agent_id}."""

    agent_id: str
    name: str
    type: str
    status: AgentStatus = "active"
    model: str
    system_prompt: str
    description: str
    updated_at: str


class AgentConfigSummary(BaseModel):
    """One row of GET /api/agents/config."""

    agent_id: str
    name: str
    model: str
    system_prompt: str
    updated_at: str


class _Changes(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    model: str | None = Field(default=None, pattern=MODEL_ID, description="a model id, or `default` for the provider's")
    system_prompt: str | None = Field(default=None, min_length=1, max_length=MAX_PROMPT_CHARS)

    @model_validator(mode="after")
    def _something_to_change(self) -> _Changes:
        if not self.model_dump(exclude_none=True):
            raise ValueError("give at least one of: " + ", ".join(type(self).model_fields))
        return self


class AgentConfigSet(_Changes):
    """Body of POST /api/agents/config/{agent_id}."""


class AgentPatch(_Changes):
    """Body of PATCH /api/agents/{agent_id}: any of model, system_prompt, status."""

    status: AgentStatus | None = None


class AgentTestResult(BaseModel):
    agent_id: str
    model: str
    status: Literal["ok"] = "ok"
    response: str
    latency_ms: int
