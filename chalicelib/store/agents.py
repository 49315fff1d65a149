"""Agent configurations in the `config` table (kind `agents`), seeded from the built-in defaults.

Seeding is a conditional put per missing agent on first read, so it is idempotent and never
overwrites an edit, however many containers start at once.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.agents import AgentConfig
from chalicelib.llm.agent_defaults import AGENT_DEFAULTS, PROVIDER_DEFAULT_MODEL, AgentDefault
from chalicelib.store import items
from chalicelib.store.errors import NotFound

KIND = "agents"


def _seed(default: AgentDefault) -> None:
    item = {
        "kind": KIND,
        "item_id": default.agent_id,
        "name": default.name,
        "type": default.type,
        "description": default.description,
        "status": "active",
        "model": PROVIDER_DEFAULT_MODEL,
        "system_prompt": default.system_prompt,
        "updated_at": items.now_iso(),
    }
    try:
        items.table("config").put_item(Item=item, ConditionExpression="attribute_not_exists(item_id)")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def _config(item: dict) -> AgentConfig:
    return AgentConfig.model_validate({**items.plain(item), "agent_id": item["item_id"]})


def _stored() -> dict[str, dict]:
    from boto3.dynamodb.conditions import Key

    response = items.table("config").query(KeyConditionExpression=Key("kind").eq(KIND), ConsistentRead=True)
    return {item["item_id"]: item for item in response.get("Items", [])}


def list_all() -> list[AgentConfig]:
    """Every pipeline agent in pipeline order, seeding the ones not stored yet."""
    found = _stored()
    missing = [default for agent_id, default in AGENT_DEFAULTS.items() if agent_id not in found]
    for default in missing:
        _seed(default)
    if missing:
        found = _stored()
    return [_config(found[agent_id]) for agent_id in AGENT_DEFAULTS if agent_id in found]


def _get_item(agent_id: str) -> dict | None:
    return items.table("config").get_item(Key={"kind": KIND, "item_id": agent_id}, ConsistentRead=True).get("Item")


def get(agent_id: str) -> AgentConfig:
    """One agent's configuration; NotFound for an unknown id."""
    if agent_id not in AGENT_DEFAULTS:
        raise NotFound(f"agent {agent_id!r} not found")
    item = _get_item(agent_id)
    if item is None:
        _seed(AGENT_DEFAULTS[agent_id])
        item = _get_item(agent_id)
    return _config(item)


def update(agent_id: str, changes: dict[str, Any]) -> AgentConfig:
    """Set some of model, system_prompt, status; returns the new configuration."""
    get(agent_id)
    fields = {**changes, "updated_at": items.now_iso()}
    response = items.table("config").update_item(
        Key={"kind": KIND, "item_id": agent_id},
        UpdateExpression="SET " + ", ".join(f"#{key} = :{key}" for key in fields),
        ExpressionAttributeNames={f"#{key}": key for key in fields},
        ExpressionAttributeValues={f":{key}": value for key, value in fields.items()},
        ReturnValues="ALL_NEW",
    )
    return _config(response["Attributes"])
