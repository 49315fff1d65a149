"""Processed request files in the `config` table: one row per uploaded object version, so a
duplicate S3 notification (at-least-once delivery) starts no second job.

A row moves `claimed` -> `answered` (the job exists; the answer file is known) -> `done` (the
answer file is written). A claim older than STALE_CLAIM_SECONDS belongs to a delivery that died
and may be taken over; an `answered` row lets a retry rewrite the answer without a second job.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from botocore.exceptions import ClientError

from chalicelib import config
from chalicelib.store import aws, items
from chalicelib.store.errors import StoreError

KIND = "request_file"
# At least the start_job Lambda's timeout: a claim this old belongs to a delivery that is gone.
STALE_CLAIM_SECONDS = 120


class ClaimHeld(StoreError):
    """Another delivery of the same object is being handled right now; retry later."""


@dataclass(frozen=True)
class RequestRecord:
    """What an earlier delivery of the same object got to."""

    status: str
    answer_suffix: str | None = None
    answer: dict | None = None


def _key(key: str, version: str) -> dict:
    digest = hashlib.sha256(f"{key}\n{version}".encode()).hexdigest()
    return {"kind": KIND, "item_id": digest}


def claim(key: str, version: str) -> RequestRecord | None:
    """Claim one object version for processing: None when this call holds the claim now, else the
    earlier delivery's record; ClaimHeld when another delivery holds a fresh claim."""
    now = int(time.time())
    item = {**_key(key, version), "object_key": key, "object_version": version, "status": "claimed",
            "claimed_at": now, "updated_at": items.now_iso()}
    try:
        items.table("config").put_item(
            Item=item,
            ConditionExpression="attribute_not_exists(item_id) OR (#status = :claimed AND claimed_at < :stale)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":claimed": "claimed", ":stale": now - STALE_CLAIM_SECONDS},
        )
        return None
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
    existing = items.plain(items.table("config").get_item(Key=_key(key, version), ConsistentRead=True).get("Item") or {})
    if existing.get("status") in (None, "claimed"):
        raise ClaimHeld(f"{key} is being handled by another delivery")
    return RequestRecord(existing["status"], existing.get("answer_suffix"), existing.get("answer"))


def record_answer(key: str, version: str, suffix: str, answer: dict) -> None:
    """Remember the answer file before writing it, so a retry rewrites it instead of starting again."""
    items.table("config").update_item(
        Key=_key(key, version),
        UpdateExpression="SET #status = :answered, answer_suffix = :suffix, answer = :answer, updated_at = :now",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":answered": "answered", ":suffix": suffix, ":answer": items.to_dynamo(answer),
                                   ":now": items.now_iso()},
    )


def mark_done(key: str, version: str) -> None:
    """The answer file is written: every later delivery of this object version is a duplicate."""
    items.table("config").update_item(
        Key=_key(key, version),
        UpdateExpression="SET #status = :done, updated_at = :now",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":done": "done", ":now": items.now_iso()},
    )


class RequestUnreadable(StoreError):
    """The request object is gone or too large to be a request."""


def read_request(key: str, version_id: str | None, max_bytes: int) -> bytes:
    """The uploaded request's bytes (that exact version when known); RequestUnreadable otherwise."""
    version = {"VersionId": version_id} if version_id else {}
    try:
        response = aws.s3().get_object(Bucket=config.load().bucket, Key=key, **version)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "NoSuchVersion", "404"):
            raise RequestUnreadable("the request file was deleted before it was read") from error
        raise
    if response["ContentLength"] > max_bytes:
        response["Body"].close()
        raise RequestUnreadable(f"the request file is larger than {max_bytes} bytes")
    return response["Body"].read()


def write_answer(key: str, answer: dict) -> None:
    """Write a result or error document next to the request."""
    aws.s3().put_object(Bucket=config.load().bucket, Key=key, Body=json.dumps(answer, indent=2).encode(),
                        ContentType="application/json")
