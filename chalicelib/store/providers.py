"""Provider records in the `config` table: custom providers, overrides of built-ins, the active one."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.store import items
from chalicelib.store.errors import Conflict

KIND = "providers"
STATE_KIND = "provider_state"
ACTIVE_KEY = "active"


def all_stored() -> dict[str, dict]:
    """Every stored provider item by name (custom providers and built-in overrides; a short list)."""
    from boto3.dynamodb.conditions import Key

    query: dict[str, Any] = {"KeyConditionExpression": Key("kind").eq(KIND), "ConsistentRead": True}
    found: dict[str, dict] = {}
    while True:
        response = items.table("config").query(**query)
        for item in response.get("Items", []):
            found[item["item_id"]] = _fields(item)
        if "LastEvaluatedKey" not in response:
            return found
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def get(name: str) -> dict | None:
    """One stored provider item, or None."""
    item = items.table("config").get_item(Key={"kind": KIND, "item_id": name}, ConsistentRead=True).get("Item")
    return _fields(item) if item else None


def _fields(item: dict) -> dict:
    return {key: value for key, value in items.plain(item).items() if key not in ("kind", "item_id")}


def put(name: str, fields: dict, must_be_new: bool = False) -> None:
    """Store a provider's fields whole; Conflict when `must_be_new` and it exists."""
    item = {"kind": KIND, "item_id": name, **fields, "updated_at": items.now_iso()}
    condition = {"ConditionExpression": "attribute_not_exists(item_id)"} if must_be_new else {}
    try:
        items.table("config").put_item(Item=items.to_dynamo(item), **condition)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise Conflict(f"provider {name!r} already exists") from error
        raise


def delete(name: str) -> None:
    items.table("config").delete_item(Key={"kind": KIND, "item_id": name})


def active_name(default: str) -> str:
    """The name of the active provider (`default` until one is chosen)."""
    item = items.table("config").get_item(Key={"kind": STATE_KIND, "item_id": ACTIVE_KEY}, ConsistentRead=True).get("Item")
    return str(item["value"]) if item else default


def set_active(name: str) -> None:
    items.table("config").put_item(
        Item={"kind": STATE_KIND, "item_id": ACTIVE_KEY, "value": name, "updated_at": items.now_iso()}
    )
