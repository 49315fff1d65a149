"""Job requests and records."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.domain.fields import CommaList, Slug
from chalicelib.domain.phases import PHASES, JobStatus

PLATFORMS = ("android", "ios", "web")
BACKENDS = ("none", "firebase", "supabase", "rest")


class JobCreate(BaseModel):
    """Body of POST /api/jobs."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=5000)
    platform: CommaList = Field(default_factory=lambda: ["android", "ios"])
    style: str = Field(default="modern", min_length=1, max_length=40, pattern=r"^[A-Za-z][A-Za-z0-9 _-]*$")
    backend: str = "none"
    features: CommaList = Field(default_factory=list)
    slug: Slug | None = None
    checkpoints: list[str] = Field(default_factory=list)

    @field_validator("platform")
    @classmethod
    def _known_platforms(cls, value: list[str]) -> list[str]:
        cleaned = []
        for item in value:
            name = item.lower()
            if name not in PLATFORMS:
                raise ValueError(f"unknown platform {item!r}; choose from {', '.join(PLATFORMS)}")
            if name not in cleaned:
                cleaned.append(name)
        if not cleaned:
            raise ValueError("at least one platform is required")
        return cleaned

    @field_validator("style")
    @classmethod
    def _lower_style(cls, value: str) -> str:
        return value.lower()

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        name = value.strip().lower()
        if name not in BACKENDS:
            raise ValueError(f"unknown backend {value!r}; choose from {', '.join(BACKENDS)}")
        return name

    @field_validator("features")
    @classmethod
    def _bounded_features(cls, value: list[str]) -> list[str]:
        if len(value) > 30:
            raise ValueError("at most 30 features")
        for item in value:
            if len(item) > 100:
                raise ValueError("each feature is at most 100 characters")
        return list(dict.fromkeys(value))

    @field_validator("checkpoints")
    @classmethod
    def _known_phases(cls, value: list[str]) -> list[str]:
        for phase in value:
            if phase == PHASES[0]:
                raise ValueError(f"{phase!r} cannot be gated: a job is created before any checkpoint")
            if phase not in PHASES:
                raise ValueError(f"unknown checkpoint phase {phase!r}; choose from {', '.join(PHASES[1:])}")
        return list(dict.fromkeys(value))


class Job(BaseModel):
    """The job object of the API."""

    slug: str
    team_id: str
    name: str
    description: str
    platform: list[str]
    style: str
    backend: str
    features: list[str]
    checkpoints: list[str] = Field(default_factory=list)
    status: JobStatus
    cancel_requested: bool = False
    current_phase: str | None = None
    error: str | None = None
    created_at: str
    updated_at: str
    started_at: str | None = None
    finished_at: str | None = None
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    download_ready: bool = False


class JobList(BaseModel):
    items: list[Job]
    next_cursor: str | None = None


class PhaseRow(BaseModel):
    phase: str
    agent: str
    status: str
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0
    error: str | None = None
    outputs: list[str] = Field(default_factory=list)
    log_count: int = 0
    summary: str | None = None
    findings: list[dict] = Field(default_factory=list)


class CancelResult(BaseModel):
    slug: str
    status: str = "cancel_requested"
    cancel_requested: bool = True


class DeleteResult(BaseModel):
    deleted: str
    purged: bool


class TreeEntry(BaseModel):
    path: str
    name: str
    isDir: bool
    size: int


class FileContent(BaseModel):
    path: str
    content: str
