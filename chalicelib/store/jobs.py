"""Job records: one item per job, keyed by team and slug.

Lists read the `by_created` index (newest first) or `by_status` (one status, newest first), so
listing never scans. Status changes are conditional writes: two workers cannot both move a job.
Each status change also moves the team's per-status counters (item `COUNTERS_SLUG`) in the same
transaction, so job counts are one GetItem at any number of jobs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.jobs import Job
from chalicelib.store import items
from chalicelib.store.errors import Conflict, NotFound

_JOB_FIELDS = set(Job.model_fields)
# '#' never appears in a slug, so this item cannot be a job; it has no index keys, so no list shows it.
COUNTERS_SLUG = "#counters"
MAX_STATUS_RACES = 5


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
    put = {"Put": {"TableName": _table_name(), "Item": _serialize(item), "ConditionExpression": "attribute_not_exists(slug)"}}
    try:
        _transact([put, _count(job.team_id, {job.status: 1})])
    except ClientError as error:
        if _first_condition_failed(error):
            raise Conflict(f"a job with slug {job.slug!r} already exists") from error
        raise


def _table_name() -> str:
    from chalicelib import config

    return config.load().table("jobs")


def _serialize(item: dict) -> dict:
    from boto3.dynamodb.types import TypeSerializer

    serializer = TypeSerializer()
    return {key: serializer.serialize(value) for key, value in items.to_dynamo(item).items()}


def _count(team_id: str, deltas: dict[str, int]) -> dict:
    """The transaction step that moves the team's per-status counters by `deltas`."""
    changed = {status: delta for status, delta in deltas.items() if delta}
    return {"Update": {
        "TableName": _table_name(),
        "Key": _serialize({"team_id": team_id, "slug": COUNTERS_SLUG}),
        "UpdateExpression": "ADD " + ", ".join(f"#n{i} :d{i}" for i in range(len(changed))),
        "ExpressionAttributeNames": {f"#n{i}": f"count_{status}" for i, status in enumerate(changed)},
        "ExpressionAttributeValues": {f":d{i}": {"N": str(delta)} for i, delta in enumerate(changed.values())},
    }}


def _transact(steps: list[dict]) -> None:
    from chalicelib.store import aws

    aws.dynamodb().transact_write_items(TransactItems=[step for step in steps if _has_work(step)])


def _has_work(step: dict) -> bool:
    update = step.get("Update")
    return not (update and update["UpdateExpression"] == "ADD ")


def _first_condition_failed(error: ClientError) -> bool:
    """A cancelled transaction whose first step (the job's own write) failed its condition."""
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        return False
    reasons = error.response.get("CancellationReasons") or []
    return bool(reasons) and reasons[0].get("Code") == "ConditionalCheckFailed"


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
        return _change_status(team_id, slug, expected_status, fields)
    names = {f"#{key}": key for key in fields}
    values = {f":{key}": items.to_dynamo(value) for key, value in fields.items()}
    condition = "attribute_exists(slug)"
    if expected_status is not None:
        allowed = sorted(expected_status)
        for position, status in enumerate(allowed):
            values[f":expected{position}"] = status
        names["#status"] = "status"
        condition += f" AND #status IN ({', '.join(f':expected{position}' for position in range(len(allowed)))})"
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


def _change_status(team_id: str, slug: str, expected_status: Iterable[str] | None, fields: dict) -> Job:
    """A status change and the counters' move in one transaction, conditional on the status read first."""
    allowed = None if expected_status is None else set(expected_status)
    fields["team_status"] = f"{team_id}#{fields['status']}"
    for _ in range(MAX_STATUS_RACES):
        current = get_item(team_id, slug)
        if current is None:
            raise NotFound(f"job {slug!r} not found")
        if allowed is not None and current["status"] not in allowed:
            raise Conflict(f"job {slug!r} is not in a state that allows this")
        values = {f":{key}": value for key, value in fields.items()}
        values[":was"] = current["status"]
        step = {"Update": {
            "TableName": _table_name(),
            "Key": _serialize({"team_id": team_id, "slug": slug}),
            "UpdateExpression": "SET " + ", ".join(f"#{key} = :{key}" for key in fields),
            "ConditionExpression": "attribute_exists(slug) AND #status = :was",
            "ExpressionAttributeNames": {**{f"#{key}": key for key in fields}, "#status": "status"},
            "ExpressionAttributeValues": _serialize(values),
        }}
        moved = {current["status"]: -1}
        moved[fields["status"]] = moved.get(fields["status"], 0) + 1
        try:
            _transact([step, _count(team_id, moved)])
        except ClientError as error:
            if _first_condition_failed(error):
                continue
            raise
        return _to_job({**current, **fields})
    raise Conflict(f"job {slug!r} changed status too often to update; try again")


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
    for _ in range(MAX_STATUS_RACES):
        current = get_item(team_id, slug)
        if current is None:
            raise NotFound(f"job {slug!r} not found")
        step = {"Delete": {
            "TableName": _table_name(),
            "Key": _serialize({"team_id": team_id, "slug": slug}),
            "ConditionExpression": "attribute_exists(slug) AND #status = :was",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":was": {"S": current["status"]}},
        }}
        try:
            _transact([step, _count(team_id, {current["status"]: -1})])
            return
        except ClientError as error:
            if not _first_condition_failed(error):
                raise
    raise Conflict(f"job {slug!r} changed status too often to delete; try again")


def count_by_status(team_id: str, status: str) -> int:
    """How many of the team's jobs have this status: one counter, whatever the number of jobs."""
    response = items.table("jobs").get_item(Key={"team_id": team_id, "slug": COUNTERS_SLUG}, ConsistentRead=True)
    return int(items.plain(response.get("Item", {})).get(f"count_{status}", 0))


def mark_purged(team_id: str, slug: str, run_id: str) -> None:
    """Remember that this run's files were purged, so a phase still running can remove what it writes late."""
    items.table("config").put_item(Item={"kind": "purged_run", "item_id": f"{team_id}#{slug}#{run_id}",
                                         "purged_at": items.now_iso()})


def was_purged(team_id: str, slug: str, run_id: str) -> bool:
    response = items.table("config").get_item(Key={"kind": "purged_run", "item_id": f"{team_id}#{slug}#{run_id}"})
    return "Item" in response
