"""Phase rows: one item per job and phase, sorted in pipeline order by their sort key."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.jobs import PhaseRow
from chalicelib.domain.phases import PHASES
from chalicelib.store import items


def job_key(team_id: str, slug: str) -> str:
    return f"{team_id}#{slug}"


def _phase_key(phase: str) -> str:
    return f"{PHASES.index(phase):02d}#{phase}"


def init(team_id: str, slug: str, agents: dict[str, str]) -> None:
    """Write the 13 rows as `pending` when the job is created."""
    with items.table("phases").batch_writer() as batch:
        for phase in PHASES:
            batch.put_item(
                Item={
                    "job_key": job_key(team_id, slug),
                    "phase_key": _phase_key(phase),
                    "phase": phase,
                    "agent": agents[phase],
                    "status": "pending",
                    "attempts": 0,
                    "outputs": [],
                    "log_count": 0,
                }
            )


def list_rows(team_id: str, slug: str) -> list[PhaseRow]:
    """The job's phases in pipeline order."""
    from boto3.dynamodb.conditions import Key

    response = items.table("phases").query(
        KeyConditionExpression=Key("job_key").eq(job_key(team_id, slug)), ConsistentRead=True
    )
    rows = [items.plain(item) for item in response.get("Items", [])]
    return [PhaseRow.model_validate({k: v for k, v in row.items() if k in PhaseRow.model_fields}) for row in rows]


def update(team_id: str, slug: str, phase: str, add_attempt: bool = False, **fields: Any) -> None:
    """Set fields on one phase row; `add_attempt` counts one more run of it."""
    names = {f"#{key}": key for key in fields}
    values = {f":{key}": items.to_dynamo(value) for key, value in fields.items()}
    expression = "SET " + ", ".join(f"#{key} = :{key}" for key in fields)
    if add_attempt:
        expression += " ADD attempts :one"
        values[":one"] = 1
    items.table("phases").update_item(
        Key={"job_key": job_key(team_id, slug), "phase_key": _phase_key(phase)},
        UpdateExpression=expression,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def count_log(team_id: str, slug: str, phase: str) -> None:
    """One more activity entry for this phase."""
    items.table("phases").update_item(
        Key={"job_key": job_key(team_id, slug), "phase_key": _phase_key(phase)},
        UpdateExpression="ADD log_count :one",
        ConditionExpression="attribute_exists(job_key)",
        ExpressionAttributeValues={":one": 1},
    )


def delete_all(team_id: str, slug: str) -> None:
    """Remove every phase row of the job."""
    with items.table("phases").batch_writer() as batch:
        for phase in PHASES:
            batch.delete_item(Key={"job_key": job_key(team_id, slug), "phase_key": _phase_key(phase)})
