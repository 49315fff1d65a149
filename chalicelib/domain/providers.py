"""LLM providers and their model lists, as the API shows and accepts them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.llm.errors import UnsafeUrl
from chalicelib.llm.url_safety import check_syntax

PROVIDER_NAME = r"^[a-z0-9][a-z0-9_-]{0,39}$"
ENV_NAME = r"^([A-Z_][A-Z0-9_]{0,127})?$"
MODEL_ID = r"^\S{1,200}$"


class Provider(BaseModel):
    """One LLM endpoint. The key itself is never here: only the environment variable that holds it."""

    name: str
    base_url: str
    api_key_env: str = ""
    default_model: str
    enabled: bool = True
    builtin: bool = False
    active: bool = False
    api_key_set: bool = False


def _safe_url(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().rstrip("/")
    try:
        check_syntax(value)
    except UnsafeUrl as error:
        raise ValueError(str(error)) from error
    return value


class ProviderPatch(BaseModel):
    """Body of PATCH /api/providers/{name}: any subset of the editable fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    base_url: str | None = Field(default=None, max_length=500)
    api_key_env: str | None = Field(default=None, pattern=ENV_NAME)
    default_model: str | None = Field(default=None, pattern=MODEL_ID)
    enabled: bool | None = None

    _check_url = field_validator("base_url")(_safe_url)


class ProviderUpsert(ProviderPatch):
    """Body of POST /api/providers/{name}: the name may be repeated in the body but must match."""

    name: str | None = Field(default=None, pattern=PROVIDER_NAME)


class ProviderCreate(ProviderPatch):
    """Body of POST /api/providers: a new custom provider."""

    name: str = Field(pattern=PROVIDER_NAME)
    base_url: str = Field(max_length=500)
    default_model: str = Field(pattern=MODEL_ID)


class ProviderList(BaseModel):
    active: str
    providers: dict[str, Provider]


class ActiveProvider(BaseModel):
    active: str


class ProviderRemoved(BaseModel):
    removed: str


class ProviderTest(BaseModel):
    """Result of probing a provider's model list."""

    provider: str
    status: Literal["ok", "error"]
    models_count: int | None = None
    error: str | None = None
    latency_ms: int


class ModelList(BaseModel):
    provider: str
    status: Literal["ok"] = "ok"
    models: list[str]
