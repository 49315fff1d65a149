"""LLM cost rows: one item per call, under the team's partition, newest last."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from chalicelib.store import items, jobs


@dataclass
class CostRow:
    team_id: str
    job_slug: str
    phase: str
    agent: str
    provider: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float
    price_unknown: bool
    latency_ms: int


def record(row: CostRow) -> None:
    """Write the call's row and add it to the job's totals."""
    timestamp = items.now_iso()
    item = {"pk": f"calls#{row.team_id}", "sk": f"{timestamp}#{uuid.uuid4().hex[:12]}", "timestamp": timestamp, **asdict(row)}
    items.table("costs").put_item(Item=items.to_dynamo(item))
    jobs.add_usage(row.team_id, row.job_slug, row.cost_usd, row.tokens_in, row.tokens_out)
