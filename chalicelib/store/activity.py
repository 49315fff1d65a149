"""The activity log: one item per event, newest first per team, per job and per kind."""

from __future__ import annotations

import time
import uuid
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.store import items, phases

RETENTION_DAYS = 90


def record(
    team_id: str,
    kind: str,
    message: str,
    level: str = "info",
    job_slug: str | None = None,
    phase: str | None = None,
    agent: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict:
    """Append one entry; a job's phase entries also bump that phase's log count."""
    timestamp = items.now_iso()
    entry = {
        "team_id": team_id,
        "entry_key": f"{timestamp}#{uuid.uuid4().hex[:12]}",
        "team_kind": f"{team_id}#{kind}",
        "id": uuid.uuid4().hex,
        "timestamp": timestamp,
        "kind": kind,
        "level": level,
        "message": message[:2000],
        "expires_at": int(time.time()) + RETENTION_DAYS * 86400,
    }
    if job_slug:
        entry["job_key"] = phases.job_key(team_id, job_slug)
        entry["job_slug"] = job_slug
    if phase:
        entry["phase"] = phase
    if agent:
        entry["agent"] = agent
        entry["team_agent"] = team_id
    if details:
        entry["details"] = items.to_dynamo(details)
    items.table("activity").put_item(Item=entry)
    if job_slug and phase:
        try:
            phases.count_log(team_id, job_slug, phase)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    return _public(entry)


def _public(entry: dict) -> dict:
    hidden = {"team_kind", "team_agent", "job_key", "entry_key", "expires_at"}
    return {key: value for key, value in items.plain(entry).items() if key not in hidden}


def for_job(team_id: str, slug: str, phase: str | None = None, level: str | None = None, limit: int = 500) -> list[dict]:
    """A job's entries, oldest first (a log reads top to bottom)."""
    from boto3.dynamodb.conditions import Attr, Key

    query: dict[str, Any] = {
        "IndexName": "by_job",
        "KeyConditionExpression": Key("job_key").eq(phases.job_key(team_id, slug)),
    }
    conditions = []
    if phase:
        conditions.append(Attr("phase").eq(phase))
    if level:
        conditions.append(Attr("level").eq(level))
    if conditions:
        combined = conditions[0]
        for condition in conditions[1:]:
            combined = combined & condition
        query["FilterExpression"] = combined
    entries: list[dict] = []
    while len(entries) < limit:
        response = items.table("activity").query(**query)
        entries += [_public(item) for item in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            break
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    return entries[:limit]


def recent(team_id: str, limit: int, kind: str | None = None) -> list[dict]:
    """The team's newest entries, optionally of one kind."""
    from boto3.dynamodb.conditions import Key

    if kind:
        query = {"IndexName": "by_kind", "KeyConditionExpression": Key("team_kind").eq(f"{team_id}#{kind}")}
    else:
        query = {"KeyConditionExpression": Key("team_id").eq(team_id)}
    response = items.table("activity").query(ScanIndexForward=False, Limit=limit, **query)
    return [_public(item) for item in response.get("Items", [])]


def agent_log(team_id: str, limit: int) -> list[dict]:
    """The team's newest entries that name an agent (phase events, LLM calls, fallbacks)."""
    from boto3.dynamodb.conditions import Key

    response = items.table("activity").query(IndexName="by_agent", KeyConditionExpression=Key("team_agent").eq(team_id),
                                             ScanIndexForward=False, Limit=limit)
    return [_public(item) for item in response.get("Items", [])]
