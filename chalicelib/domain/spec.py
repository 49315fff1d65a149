"""The job request as the pipeline's phases see it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class JobSpec(BaseModel):
    """What the user asked for, already validated and normalised by the jobs API."""

    slug: str
    team_id: str
    name: str
    description: str
    platform: list[str] = Field(default_factory=lambda: ["android", "ios"])
    style: str = "modern"
    backend: str = "none"
    features: list[str] = Field(default_factory=list)
