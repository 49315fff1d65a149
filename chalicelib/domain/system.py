"""System and auth request/response models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    status: str = "ok"
    queue_backend: str = "sqs"


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    error: str | None = None


class ApiInfo(BaseModel):
    status: str = "online"
    service: str
    version: str
    docs_url: str = "/docs"


class StorageStatus(BaseModel):
    tables: dict[str, str]
    bucket: str
    reachable: bool


class SystemStatus(BaseModel):
    status: str
    version: str
    queue_backend: str = "sqs"
    storage: StorageStatus
    state_machine: str
    region: str


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    team_id: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    role: Literal["viewer", "member", "admin"] = "admin"


class TokenResponse(BaseModel):
    token: str
    team_id: str
    role: str
    expires_in: int


class Me(BaseModel):
    team_id: str
    role: str


class ErrorBody(BaseModel):
    detail: str
