"""The shared example requests (beside the repository) as the pipeline's JobSpec."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.domain.spec import JobSpec
from chalicelib.flutter import naming

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "requests"


def example_job(path: Path) -> JobSpec:
    """A request file as the JobSpec the phases receive (comma lists split, slug derived)."""
    data = json.loads(path.read_text())
    for key in ("platform", "features"):
        if isinstance(data.get(key), str):
            data[key] = [part.strip() for part in data[key].split(",") if part.strip()]
    return JobSpec(slug=naming.slug(data["name"]), team_id="team", **data)
