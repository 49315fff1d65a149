"""Projects: one item per project in the `projects` table, keyed by team and slug."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.projects import Project, ProjectBody
from chalicelib.store import items
from chalicelib.store.errors import Conflict, NotFound

MAX_SLUG_SUFFIX = 1000


def _project(item: dict) -> Project:
    return Project.model_validate({key: value for key, value in items.plain(item).items() if key in Project.model_fields})


def _item(team_id: str, slug: str, body: ProjectBody, created_at: str, updated_at: str) -> dict:
    fields = body.model_dump(exclude={"slug"})
    return items.to_dynamo({"team_id": team_id, "slug": slug, **fields, "created_at": created_at,
                            "updated_at": updated_at})


def create(team_id: str, body: ProjectBody, derived_slug: str) -> Project:
    """Insert a project; an explicit slug that exists is a Conflict, a derived one gets a numeric suffix."""
    now = items.now_iso()
    base = body.slug or derived_slug
    candidates = [base] if body.slug else [base] + [f"{base}-{n}" for n in range(2, MAX_SLUG_SUFFIX)]
    for slug in candidates:
        try:
            item = _item(team_id, slug, body, now, now)
            items.table("projects").put_item(Item=item, ConditionExpression="attribute_not_exists(slug)")
            return _project(item)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    raise Conflict(f"a project with slug {base!r} already exists")


def get(team_id: str, slug: str) -> Project:
    item = items.table("projects").get_item(Key={"team_id": team_id, "slug": slug}, ConsistentRead=True).get("Item")
    if item is None:
        raise NotFound(f"project {slug!r} not found")
    return _project(item)


def _query_all(team_id: str, **extra: Any) -> list[dict]:
    from boto3.dynamodb.conditions import Key

    query: dict[str, Any] = {"KeyConditionExpression": Key("team_id").eq(team_id), **extra}
    found: list[dict] = []
    while True:
        response = items.table("projects").query(**query)
        found += response.get("Items", [])
        if "LastEvaluatedKey" not in response:
            return found
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def list_all(team_id: str) -> list[Project]:
    """The team's projects by slug."""
    return [_project(item) for item in _query_all(team_id)]


def status_counts(team_id: str, statuses: tuple[str, ...]) -> dict[str, int]:
    """How many of the team's projects are in each status (reads only the status attribute)."""
    counts = dict.fromkeys(statuses, 0)
    for item in _query_all(team_id, ProjectionExpression="#status", ExpressionAttributeNames={"#status": "status"}):
        counts[str(item.get("status"))] = counts.get(str(item.get("status")), 0) + 1
    return counts


def put(team_id: str, slug: str, body: ProjectBody) -> tuple[Project, bool]:
    """Create or replace the project at `slug` (keeping its creation time); returns it and whether it is new.

    Both writes are conditional, so of concurrent upserts of a new slug exactly one reports it created.
    """
    table = items.table("projects")
    fields = items.to_dynamo(body.model_dump(exclude={"slug"}))
    for _ in range(3):
        now = items.now_iso()
        item = _item(team_id, slug, body, now, now)
        try:
            table.put_item(Item=item, ConditionExpression="attribute_not_exists(slug)")
            return _project(item), True
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        changes = {**fields, "updated_at": now}
        try:
            response = table.update_item(
                Key={"team_id": team_id, "slug": slug},
                UpdateExpression="SET " + ", ".join(f"#{key} = :{key}" for key in changes),
                ConditionExpression="attribute_exists(slug)",
                ExpressionAttributeNames={f"#{key}": key for key in changes},
                ExpressionAttributeValues={f":{key}": value for key, value in changes.items()},
                ReturnValues="ALL_NEW",
            )
            return _project(response["Attributes"]), False
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    raise Conflict(f"project {slug!r} kept changing; try again")


def delete(team_id: str, slug: str) -> None:
    """Remove the project; NotFound when the team has none at `slug`."""
    response = items.table("projects").delete_item(Key={"team_id": team_id, "slug": slug}, ReturnValues="ALL_OLD")
    if "Attributes" not in response:
        raise NotFound(f"project {slug!r} not found")
