"""Event-triggered starts: a request file (the POST /api/jobs body as JSON) uploaded under
`requests/{team_id}/` starts a job for that team, and the answer is written next to it.

S3 notifies the jobs queue of every `.json` created under `requests/`; `<name>.result.json`
(slug and status) and `<name>.error.json` (what was wrong) are answers, never requests, so the
notification they cause is ignored here. Deliveries are at least once: the object's key and
version are recorded before a job is made, so a duplicate notification makes no second job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from chalicelib import config
from chalicelib.api.routing import MAX_BODY_BYTES
from chalicelib.auth import TEAM_PATTERN
from chalicelib.domain.jobs import JobCreate
from chalicelib.domain.parsing import InvalidDocument, parse_json_object
from chalicelib.pipeline import lifecycle
from chalicelib.store import request_files as request_store
from chalicelib.store.errors import Conflict

REQUEST_PREFIX = "requests/"
REQUEST_SUFFIX = ".json"
RESULT_SUFFIX = ".result.json"
ERROR_SUFFIX = ".error.json"
S3_TEST_EVENT = "s3:TestEvent"


class InvalidRequest(Exception):
    """The request file cannot become a job; the message goes into its `.error.json`."""


@dataclass(frozen=True)
class RequestObject:
    """One uploaded request file, as an S3 notification names it."""

    key: str
    version: str
    version_id: str | None

    @property
    def stem(self) -> str:
        """The key without `.json`: answers are `<stem>.result.json` and `<stem>.error.json`."""
        return self.key[: -len(REQUEST_SUFFIX)]


def is_notification(message: Any) -> bool:
    """True for an S3 event notification (or S3's test event) rather than a job message."""
    if not isinstance(message, dict):
        return False
    if message.get("Event") == S3_TEST_EVENT:
        return True
    entries = message.get("Records")
    return isinstance(entries, list) and any(
        isinstance(entry, dict) and entry.get("eventSource") == "aws:s3" for entry in entries)


def is_request_key(key: str) -> bool:
    """A `.json` under `requests/` that is not one of our own answers."""
    return (key.startswith(REQUEST_PREFIX) and key.endswith(REQUEST_SUFFIX)
            and not key.endswith((RESULT_SUFFIX, ERROR_SUFFIX)))


def request_objects(message: dict) -> list[RequestObject]:
    """The request files a notification announces (other buckets, events and keys are left out)."""
    bucket = config.load().bucket
    found = []
    for record in message.get("Records", []):
        s3 = record.get("s3", {})
        if not str(record.get("eventName", "")).startswith("ObjectCreated") or s3.get("bucket", {}).get("name") != bucket:
            continue
        obj = s3.get("object", {})
        key = unquote_plus(obj.get("key", ""))
        if not is_request_key(key):
            continue
        version_id = obj.get("versionId") or None
        found.append(RequestObject(key, version_id or str(obj.get("eTag", "")), version_id))
    return found


def handle_notification(message: dict) -> str:
    """Start a job for every request file the notification names; returns what happened, for the log."""
    outcomes = [start_from_object(obj) for obj in request_objects(message)]
    return "; ".join(outcomes) or "no request file in the notification"


def start_from_object(obj: RequestObject) -> str:
    """Make the job (once per object version) and write its `.result.json`, or `.error.json` if invalid."""
    earlier = request_store.claim(obj.key, obj.version)
    if earlier is not None and earlier.status == "done":
        return f"{obj.key}: duplicate notification, already answered"
    if earlier is not None and earlier.answer_suffix and earlier.answer is not None:
        suffix, answer = earlier.answer_suffix, earlier.answer
    else:
        suffix, answer = _answer(obj)
        request_store.record_answer(obj.key, obj.version, suffix, answer)
    request_store.write_answer(obj.stem + suffix, answer)
    request_store.mark_done(obj.key, obj.version)
    return f"{obj.key}: {answer['status']}" + (f" job {answer['slug']}" if "slug" in answer else "")


def _answer(obj: RequestObject) -> tuple[str, dict]:
    """Create the job the file asks for: the answer file's suffix and body."""
    base = {"request": obj.key, "version_id": obj.version_id}
    try:
        team_id = team_for_key(obj.key)
        request = _parse(request_store.read_request(obj.key, obj.version_id, MAX_BODY_BYTES))
        job = lifecycle.create_job(team_id, request)
    except (InvalidRequest, request_store.RequestUnreadable, Conflict, lifecycle.QueueUnavailable) as error:
        detail = str(error) if not isinstance(error, lifecycle.QueueUnavailable) else (
            "the job queue is unavailable; the job was recorded as failed, upload the file again")
        return ERROR_SUFFIX, {**base, "status": "rejected", "detail": detail}
    fields = job.model_dump(mode="json", include={"team_id", "slug", "status", "created_at"})
    return RESULT_SUFFIX, {**base, **fields, "job": f"/api/jobs/{job.slug}"}


def team_for_key(key: str) -> str:
    """The team a request belongs to: the folder right under `requests/`."""
    parts = key[len(REQUEST_PREFIX):].split("/")
    if len(parts) < 2 or not parts[0]:
        raise InvalidRequest("put request files under requests/{team_id}/")
    if not TEAM_PATTERN.fullmatch(parts[0]):
        raise InvalidRequest(f"team_id {parts[0]!r} is not valid: use letters, digits, '_' and '-' (1-64)")
    return parts[0]


def _parse(raw: bytes) -> JobCreate:
    """The request body validated as POST /api/jobs validates it."""
    try:
        return parse_json_object(raw, JobCreate, "request file")
    except InvalidDocument as error:
        raise InvalidRequest(str(error)) from error


