"""HITL items in one table: team partition, one item per checkpoint or experience.

`by_status` (team#status[#type], created_key) answers "the team's pending items" without a scan;
task tokens stay in the item and never leave the store through the public models.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.hitl import Checkpoint, Experience
from chalicelib.store import items
from chalicelib.store.errors import Conflict, NotFound

_MODELS = {"checkpoint": Checkpoint, "experience": Experience}


def _to_model(item: dict) -> Checkpoint | Experience:
    model = _MODELS[item["type"]]
    return model.model_validate({key: value for key, value in items.plain(item).items() if key in model.model_fields})


def _status_key(team_id: str, status: str) -> str:
    return f"{team_id}#{status}"


def create_checkpoint(team_id: str, job_slug: str, phase: str, gate: str, action: str, summary: str,
                      documents: list[str], task_token: str) -> Checkpoint:
    """Store a pending checkpoint with the execution's task token (kept server-side)."""
    now = items.now_iso()
    item = {
        "team_id": team_id, "item_id": f"cp-{uuid.uuid4().hex[:16]}", "type": "checkpoint",
        "job_slug": job_slug, "job_key": f"{team_id}#{job_slug}", "phase": phase, "gate": gate, "action": action,
        "summary": summary[:4000], "documents": documents[:50], "status": "pending",
        "team_status": _status_key(team_id, "pending"), "created_key": f"{now}#checkpoint",
        "created_at": now, "task_token": task_token,
    }
    items.table("hitl").put_item(Item=item)
    return _to_model({**item, "id": item["item_id"]})


def create_experience(team_id: str, job_slug: str, agent: str, kind: str, key: str, content: str,
                      data: dict) -> Experience | None:
    """Store a pending experience once per distinct lesson (same team, kind and key); None if known."""
    now = items.now_iso()
    digest = hashlib.sha256(f"{team_id}\n{kind}\n{key}".encode()).hexdigest()[:16]
    item = {
        "team_id": team_id, "item_id": f"ex-{digest}", "type": "experience",
        "job_slug": job_slug, "agent": agent, "kind": kind, "content": content[:2000],
        "data": items.to_dynamo(data), "status": "pending", "team_status": _status_key(team_id, "pending"),
        "created_key": f"{now}#experience", "created_at": now,
    }
    try:
        items.table("hitl").put_item(Item=item, ConditionExpression="attribute_not_exists(item_id)")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return _to_model({**item, "id": item["item_id"]})


def get_raw(team_id: str, item_id: str) -> dict:
    """The stored item, token included (for the pipeline and the decision logic only)."""
    response = items.table("hitl").get_item(Key={"team_id": team_id, "item_id": item_id}, ConsistentRead=True)
    if "Item" not in response:
        raise NotFound(f"item {item_id!r} not found")
    return items.plain(response["Item"])


def get(team_id: str, item_id: str) -> Checkpoint | Experience:
    raw = get_raw(team_id, item_id)
    return _to_model({**raw, "id": raw["item_id"]})


def list_items(team_id: str, kind: str | None = None, status: str | None = None, limit: int = 200) -> list:
    """The team's items of one kind, newest first; by status through the index, otherwise the partition."""
    from boto3.dynamodb.conditions import Attr, Key

    query: dict[str, Any] = {"ScanIndexForward": False}
    if status:
        query.update(IndexName="by_status", KeyConditionExpression=Key("team_status").eq(_status_key(team_id, status)))
    else:
        query.update(KeyConditionExpression=Key("team_id").eq(team_id))
    if kind:
        query["FilterExpression"] = Attr("type").eq(kind)
    found: list = []
    while len(found) < limit:
        response = items.table("hitl").query(**query)
        found += [_to_model({**items.plain(item), "id": item["item_id"]}) for item in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            break
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    if not status:
        found.sort(key=lambda model: model.created_at, reverse=True)
    return found[:limit]


def decide(team_id: str, item_id: str, status: str, decided_by: str, reason: str | None) -> dict:
    """Move a pending item to `status` exactly once; Conflict when it was already decided."""
    now = items.now_iso()
    try:
        response = items.table("hitl").update_item(
            Key={"team_id": team_id, "item_id": item_id},
            UpdateExpression="SET #status = :status, team_status = :team_status, decided_by = :by, "
                             "decided_at = :now, reason = :reason",
            ConditionExpression="attribute_exists(item_id) AND #status = :pending",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": status, ":team_status": _status_key(team_id, status), ":by": decided_by,
                                       ":now": now, ":reason": reason, ":pending": "pending"},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            current = get_raw(team_id, item_id)
            raise Conflict(f"item {item_id!r} was already {current['status']}") from error
        raise
    return items.plain(response["Attributes"])


def mark(team_id: str, item_id: str, status: str) -> None:
    """Set an item's status unconditionally (a checkpoint whose execution is gone is `expired`)."""
    items.table("hitl").update_item(
        Key={"team_id": team_id, "item_id": item_id},
        UpdateExpression="SET #status = :status, team_status = :team_status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status, ":team_status": _status_key(team_id, status)},
    )


def pending_checkpoint_for_job(team_id: str, job_slug: str) -> dict | None:
    """The job's waiting checkpoint (a job waits at one gate at a time), raw with its token."""
    for model in list_items(team_id, kind="checkpoint", status="pending"):
        if model.job_slug == job_slug:
            return get_raw(team_id, model.id)
    return None


def approved_experiences(team_id: str, agent: str | None = None) -> list[Experience]:
    """The team's approved experiences (for one agent), oldest first so prompts are stable."""
    approved = [model for model in list_items(team_id, kind="experience", status="approved") if agent in (None, model.agent)]
    return sorted(approved, key=lambda model: model.created_at)
