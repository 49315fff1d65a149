"""Job records: one item per job, keyed by team and slug.

Lists read the `by_created` index (newest first) or `by_status` (one status, newest first), so
listing never scans. Status changes are conditional writes: two workers cannot both move a job.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.jobs import Job
from chalicelib.store import items
from chalicelib.store.errors import Conflict, NotFound

_JOB_FIELDS = set(Job.model_fields)


def _conditional_failed(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _to_job(item: dict) -> Job:
    return Job.model_validate({key: value for key, value in items.plain(item).items() if key in _JOB_FIELDS})


def create(job: Job, run_id: str) -> None:
    """Insert a new job; Conflict when the slug exists in the team."""
    item = items.to_dynamo(job.model_dump())
    item.update(
        created_key=f"{job.created_at}#{job.slug}",
        team_status=f"{job.team_id}#{job.status}",
        run_id=run_id,
    )
    try:
        items.table("jobs").put_item(Item=item, ConditionExpression="attribute_not_exists(slug)")
    except ClientError as error:
        if _conditional_failed(error):
            raise Conflict(f"a job with slug {job.slug!r} already exists") from error
        raise


def get_item(team_id: str, slug: str) -> dict | None:
    """The raw job item (with internal fields like run_id), or None."""
    response = items.table("jobs").get_item(Key={"team_id": team_id, "slug": slug}, ConsistentRead=True)
    item = response.get("Item")
    return items.plain(item) if item else None


def get(team_id: str, slug: str) -> Job:
    """One job of the team; NotFound otherwise."""
    item = get_item(team_id, slug)
    if item is None:
        raise NotFound(f"job {slug!r} not found")
    return _to_job(item)


def list_jobs(team_id: str, status: str | None, limit: int, cursor: str | None) -> tuple[list[Job], str | None]:
    """A page of the team's jobs, newest first, optionally of one status."""
    from boto3.dynamodb.conditions import Key

    # A cursor is the index's LastEvaluatedKey: the table key plus the index key.
    if status:
        index, condition = "by_status", Key("team_status").eq(f"{team_id}#{status}")
        key_names = {"team_id", "slug", "team_status", "created_key"}
    else:
        index, condition = "by_created", Key("team_id").eq(team_id)
        key_names = {"team_id", "slug", "created_key"}
    query: dict[str, Any] = {
        "IndexName": index,
        "KeyConditionExpression": condition,
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if cursor:
        start = items.decode_cursor(cursor, key_names)
        if start.get("team_id") != team_id or (status and start.get("team_status") != f"{team_id}#{status}"):
            raise ValueError("cursor is not valid for this list")
        query["ExclusiveStartKey"] = start
    response = items.table("jobs").query(**query)
    return [_to_job(item) for item in response.get("Items", [])], items.encode_cursor(response.get("LastEvaluatedKey"))


def update(team_id: str, slug: str, expected_status: Iterable[str] | None = None, **fields: Any) -> Job:
    """Set fields on an existing job (and its status index key); Conflict if its status is not expected."""
    fields["updated_at"] = items.now_iso()
    if "status" in fields:
        fields["team_status"] = f"{team_id}#{fields['status']}"
    names = {f"#{key}": key for key in fields}
    values = {f":{key}": items.to_dynamo(value) for key, value in fields.items()}
    condition = "attribute_exists(slug)"
    if expected_status is not None:
        allowed = sorted(expected_status)
        placeholders = []
        for position, status in enumerate(allowed):
            values[f":expected{position}"] = status
            placeholders.append(f":expected{position}")
        names["#status"] = "status"
        condition += f" AND #status IN ({', '.join(placeholders)})"
    try:
        response = items.table("jobs").update_item(
            Key={"team_id": team_id, "slug": slug},
            UpdateExpression="SET " + ", ".join(f"#{key} = :{key}" for key in fields),
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if _conditional_failed(error):
            if get_item(team_id, slug) is None:
                raise NotFound(f"job {slug!r} not found") from error
            raise Conflict(f"job {slug!r} is not in a state that allows this") from error
        raise
    return _to_job(response["Attributes"])


def add_usage(team_id: str, slug: str, cost_usd: float, tokens_in: int, tokens_out: int) -> None:
    """Add one LLM call's cost and tokens to the job's running totals (atomic ADD)."""
    try:
        items.table("jobs").update_item(
            Key={"team_id": team_id, "slug": slug},
            UpdateExpression="ADD cost_usd :cost, tokens_in :tin, tokens_out :tout",
            ConditionExpression="attribute_exists(slug)",
            ExpressionAttributeValues=items.to_dynamo(
                {":cost": float(cost_usd), ":tin": tokens_in, ":tout": tokens_out}
            ),
        )
    except ClientError as error:
        if not _conditional_failed(error):
            raise


def delete(team_id: str, slug: str) -> None:
    """Remove the job record; NotFound when it is already gone (of two deletes, one wins)."""
    try:
        items.table("jobs").delete_item(Key={"team_id": team_id, "slug": slug},
                                        ConditionExpression="attribute_exists(slug)")
    except ClientError as error:
        if _conditional_failed(error):
            raise NotFound(f"job {slug!r} not found") from error
        raise


def count_by_status(team_id: str, status: str) -> int:
    """How many of the team's jobs have this status (a COUNT Query on the `by_status` index)."""
    from boto3.dynamodb.conditions import Key

    query: dict[str, Any] = {"IndexName": "by_status", "Select": "COUNT",
                             "KeyConditionExpression": Key("team_status").eq(f"{team_id}#{status}")}
    total = 0
    while True:
        response = items.table("jobs").query(**query)
        total += response.get("Count", 0)
        if "LastEvaluatedKey" not in response:
            return total
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def mark_purged(team_id: str, slug: str, run_id: str) -> None:
    """Remember that this run's files were purged, so a phase still running can remove what it writes late."""
    items.table("config").put_item(Item={"kind": "purged_run", "item_id": f"{team_id}#{slug}#{run_id}",
                                         "purged_at": items.now_iso()})


def was_purged(team_id: str, slug: str, run_id: str) -> bool:
    response = items.table("config").get_item(Key={"kind": "purged_run", "item_id": f"{team_id}#{slug}#{run_id}"})
    return "Item" in response
