"""Projects: a team's initiatives, with their status, health and progress."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.domain.fields import CommaList, Slug

ProjectStatus = Literal["discovery", "development", "production", "blocked"]
PROJECT_STATUSES: tuple[str, ...] = ("discovery", "development", "production", "blocked")


class ProjectBody(BaseModel):
    """Body of POST /api/projects and PUT /api/projects/{slug}."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=5000)
    slug: Slug | None = None
    status: ProjectStatus = "discovery"
    health: str = Field(default="", max_length=40)
    icon: str = Field(default="", max_length=100)
    repository: str = Field(default="", max_length=500, pattern=r"^\S*$")
    monthly_spend: float = Field(default=0.0, ge=0, le=1_000_000_000)
    sla: str = Field(default="", max_length=100)
    build_progress: int = Field(default=0, ge=0, le=100)
    features: CommaList = Field(default_factory=list)

    @field_validator("features")
    @classmethod
    def _bounded_features(cls, value: list[str]) -> list[str]:
        if len(value) > 50 or any(len(item) > 100 for item in value):
            raise ValueError("at most 50 features of at most 100 characters each")
        return list(dict.fromkeys(value))


class Project(BaseModel):
    """A project as returned by the API."""

    slug: str
    name: str
    description: str = ""
    status: ProjectStatus = "discovery"
    health: str = ""
    icon: str = ""
    repository: str = ""
    monthly_spend: float = 0.0
    sla: str = ""
    build_progress: int = 0
    features: list[str] = Field(default_factory=list)
    created_at: str
    updated_at: str


class ProjectDeleted(BaseModel):
    deleted: str
