"""Small helpers shared by the store modules: tables, timestamps, DynamoDB number types."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from decimal import Decimal
from typing import Any

from chalicelib import config


def now_iso() -> str:
    """Current time as ISO 8601 UTC with a `Z`, millisecond precision (sortable as text)."""
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@functools.lru_cache(maxsize=8)
def _resource(region: str, endpoint_url: str | None) -> Any:
    import boto3

    return boto3.session.Session().resource("dynamodb", region_name=region, endpoint_url=endpoint_url)


def table(name: str) -> Any:
    """The boto3 Table of one of the app's logical tables (`jobs`, `phases`, ...)."""
    settings = config.load()
    return _resource(settings.region, settings.endpoint_url).Table(settings.table(name))


def plain(value: Any) -> Any:
    """DynamoDB's Decimals back to int/float, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def to_dynamo(value: Any) -> Any:
    """floats to Decimals, recursively, so boto3 accepts them."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: to_dynamo(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_dynamo(item) for item in value]
    return value


def encode_cursor(last_key: dict | None) -> str | None:
    """An opaque pagination cursor from DynamoDB's LastEvaluatedKey."""
    if not last_key:
        return None
    raw = json.dumps(plain(last_key), sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key_names: set[str]) -> dict:
    """The LastEvaluatedKey inside a cursor; ValueError unless it holds exactly `key_names`, as non-empty strings."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as error:
        raise ValueError("cursor is not valid") from error
    if not isinstance(key, dict) or set(key) != key_names or not all(isinstance(v, str) and v for v in key.values()):
        raise ValueError("cursor is not valid")
    return key
