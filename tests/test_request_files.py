"""Event-triggered starts through the emulator: S3 notifies the jobs queue, start_job makes the job."""

from __future__ import annotations

import json
import time

import pytest

from chalicelib import config
from chalicelib.pipeline import request_files
from chalicelib.store import request_files as request_store

JOB = {"name": "Pantry Saver", "description": "Track food expiry dates in the pantry.", "features": "inventory"}


def _s3(fresh):
    return fresh.emulator.client("s3")


def _upload(fresh, key: str, body: bytes | dict) -> None:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    _s3(fresh).put_object(Bucket=config.load().bucket, Key=key, Body=data)


def _wait_for_object(fresh, key: str, timeout: float = 30) -> dict:
    s3, deadline = _s3(fresh), time.time() + timeout
    while time.time() < deadline:
        try:
            return json.loads(s3.get_object(Bucket=config.load().bucket, Key=key)["Body"].read())
        except s3.exceptions.NoSuchKey:
            time.sleep(0.1)
    raise AssertionError(f"{key} was never written")


def _exists(fresh, key: str) -> bool:
    listed = _s3(fresh).list_objects_v2(Bucket=config.load().bucket, Prefix=key)
    return any(entry["Key"] == key for entry in listed.get("Contents", []))


def _drain(fresh, timeout: float = 30) -> None:
    """Wait until the poller has handled every message on the jobs queue (visible or in flight)."""
    sqs, deadline = fresh.emulator.client("sqs"), time.time() + timeout
    url = sqs.get_queue_url(QueueName=config.load().queue_name)["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    while time.time() < deadline:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if all(attributes[name] == "0" for name in names):
            return
        time.sleep(0.2)
    raise AssertionError("the jobs queue never drained")


def _record(message_id: str, body: str) -> dict:
    return {"messageId": message_id, "receiptHandle": "r", "body": body, "attributes": {}, "messageAttributes": {},
            "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
            "awsRegion": "us-east-1"}


def test_a_request_file_starts_a_job_that_succeeds_for_its_team(member, other_team, fresh):
    _upload(fresh, "requests/team-a/pantry.json", JOB)
    result = _wait_for_object(fresh, "requests/team-a/pantry.result.json")
    assert result["status"] == "queued" and result["team_id"] == "team-a" and result["request"] == "requests/team-a/pantry.json"
    # moto's notification carries no versionId (S3's does): the object is then known by key and ETag.
    assert "version_id" in result and result["job"] == f"/api/jobs/{result['slug']}"
    job = member.wait_for_job(result["slug"])
    assert job["status"] == "succeeded" and job["name"] == JOB["name"] and job["features"] == ["inventory"]
    assert other_team.get(f"/api/jobs/{result['slug']}").status == 404
    _drain(fresh)
    assert [listed["slug"] for listed in member.get("/api/jobs").json] == [result["slug"]]


def test_a_bad_request_file_gets_an_error_file_and_no_job(member, fresh):
    _upload(fresh, "requests/team-a/broken.json", {"name": "", "colour": "red"})
    _upload(fresh, "requests/team-a/not-json.json", b"{name: nope")
    _upload(fresh, "requests/no-team.json", JOB)
    error = _wait_for_object(fresh, "requests/team-a/broken.error.json")
    assert error["status"] == "rejected"
    assert "name:" in error["detail"] and "description:" in error["detail"] and "colour: is not a known field" in error["detail"]
    assert "not valid JSON" in _wait_for_object(fresh, "requests/team-a/not-json.error.json")["detail"]
    assert "requests/{team_id}/" in _wait_for_object(fresh, "requests/no-team.error.json")["detail"]
    _drain(fresh)
    assert member.get("/api/jobs").json == []
    assert not _exists(fresh, "requests/team-a/broken.result.json")


def test_a_duplicate_notification_makes_one_job(member, fresh):
    import app as chalice_app

    fresh.emulator.poller.stop()
    try:
        sqs = fresh.emulator.client("sqs")
        url = sqs.get_queue_url(QueueName=config.load().queue_name)["QueueUrl"]
        _upload(fresh, "requests/team-a/twice.json", JOB)
        message = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"][0]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        body = message["Body"]
        assert request_files.is_notification(json.loads(body))
        for message_id in ("first-delivery", "second-delivery"):
            assert chalice_app.start_job({"Records": [_record(message_id, body)]}, None) == {"batchItemFailures": []}
    finally:
        fresh.emulator.start_poller(chalice_app.start_job)
    slug = _wait_for_object(fresh, "requests/team-a/twice.result.json")["slug"]
    assert member.wait_for_job(slug)["status"] == "succeeded"
    _drain(fresh)
    assert [job["slug"] for job in member.get("/api/jobs").json] == [slug]
    versions = _s3(fresh).list_object_versions(Bucket=config.load().bucket, Prefix="requests/team-a/twice.result.json")
    assert len(versions["Versions"]) == 1


def test_result_and_error_files_do_not_start_jobs(member, fresh):
    _upload(fresh, "requests/team-a/manual.result.json", JOB)
    _upload(fresh, "requests/team-a/manual.error.json", JOB)
    _upload(fresh, "requests/team-a/notes.txt", b"not a request")
    _drain(fresh)
    assert member.get("/api/jobs").json == []
    assert not _exists(fresh, "requests/team-a/manual.result.result.json")
    assert not _exists(fresh, "requests/team-a/manual.result.error.json")


def test_s3_test_event_is_consumed_without_a_job(fresh):
    import app as chalice_app

    body = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": config.load().bucket})
    assert chalice_app.start_job({"Records": [_record("test-event", body)]}, None) == {"batchItemFailures": []}


def test_only_json_under_requests_that_is_not_an_answer_is_a_request():
    assert request_files.is_request_key("requests/team-a/app.json")
    assert request_files.is_request_key("requests/team-a/nested/app.json")
    assert not request_files.is_request_key("requests/team-a/app.result.json")
    assert not request_files.is_request_key("requests/team-a/app.error.json")
    assert not request_files.is_request_key("apps/team-a/app.json")
    assert not request_files.is_request_key("requests/team-a/app.txt")


def test_a_fresh_claim_is_held_and_an_answered_one_is_replayed(fresh):
    assert request_store.claim("requests/team-a/x.json", "v1") is None
    with pytest.raises(request_store.ClaimHeld):
        request_store.claim("requests/team-a/x.json", "v1")
    request_store.record_answer("requests/team-a/x.json", "v1", ".result.json", {"slug": "x", "status": "queued"})
    earlier = request_store.claim("requests/team-a/x.json", "v1")
    assert earlier is not None and earlier.status == "answered" and earlier.answer == {"slug": "x", "status": "queued"}
    assert request_store.claim("requests/team-a/x.json", "v2") is None


def test_a_stale_claim_is_taken_over(fresh, monkeypatch):
    assert request_store.claim("requests/team-a/y.json", "v1") is None
    real_time = time.time
    monkeypatch.setattr(request_store.time, "time", lambda: real_time() + request_store.STALE_CLAIM_SECONDS + 1)
    assert request_store.claim("requests/team-a/y.json", "v1") is None
