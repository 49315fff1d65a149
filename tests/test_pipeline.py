"""The pipeline through SQS and Step Functions in the emulator: faults, duplicates, cancel."""

from __future__ import annotations

import json
import threading
import time

import pytest

from chalicelib import config
from chalicelib.domain.phases import PHASES
from chalicelib.pipeline import lifecycle
from chalicelib.pipeline.errors import TransientError
from chalicelib.store import files, jobs

JOB = {"name": "Pantry Saver", "description": "Track food expiry dates in the pantry.", "features": "inventory"}


def _statuses(client, slug: str) -> dict:
    return client.get(f"/api/jobs/{slug}/phase-status").json


def test_a_phase_that_raises_fails_the_job_and_keeps_earlier_outputs(member, monkeypatch):
    import chalicelib.agents.architect as architect

    def broken(ctx):
        raise RuntimeError("architect exploded on purpose")

    monkeypatch.setattr(architect, "run", broken)
    slug = member.post("/api/jobs", JOB).json["slug"]
    job = member.wait_for_job(slug)
    assert job["status"] == "failed"
    assert "architect exploded on purpose" in job["error"]
    rows = {row["phase"]: row for row in member.get(f"/api/jobs/{slug}/phases").json}
    assert rows["architect"]["status"] == "failed" and "architect exploded" in rows["architect"]["error"]
    assert rows["ba"]["status"] == "passed"
    assert all(rows[phase]["status"] == "skipped" and "failed" in rows[phase]["summary"]
               for phase in PHASES[PHASES.index("uiux"):])
    assert files.S3Workspace("team-a", slug).read("docs/product_spec.json")
    assert member.get(f"/api/jobs/{slug}/download").status == 404


def test_a_transient_error_is_retried_by_the_state_machine(member, monkeypatch):
    import chalicelib.agents.uiux as uiux

    original, calls = uiux.run, []

    def flaky(ctx):
        calls.append(ctx.attempt)
        if len(calls) == 1:
            raise TransientError("throttled, try again")
        return original(ctx)

    monkeypatch.setattr(uiux, "run", flaky)
    slug = member.post("/api/jobs", JOB).json["slug"]
    assert member.wait_for_job(slug)["status"] == "succeeded"
    rows = {row["phase"]: row for row in member.get(f"/api/jobs/{slug}/phases").json}
    assert rows["uiux"]["attempts"] == 2 and rows["uiux"]["status"] == "passed" and rows["uiux"]["error"] is None


def test_the_same_sqs_message_twice_starts_one_execution(member, fresh):
    import app as chalice_app

    fresh.emulator.poller.stop()
    slug = member.post("/api/jobs", JOB).json["slug"]
    sqs = fresh.emulator.client("sqs")
    url = sqs.get_queue_url(QueueName=config.load().queue_name)["QueueUrl"]
    message = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"][0]
    records = [
        {"messageId": message_id, "receiptHandle": "r", "body": message["Body"], "attributes": {},
         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
         "awsRegion": "us-east-1"}
        for message_id in ("first-delivery", "second-delivery")
    ]
    try:
        for record in records:
            assert chalice_app.start_job({"Records": [record]}, None) == {"batchItemFailures": []}
        assert member.wait_for_job(slug)["status"] == "succeeded"
        executions = fresh.emulator.client("stepfunctions").list_executions(
            stateMachineArn=config.load().state_machine_arn)["executions"]
        assert len(executions) == 1
        rows = member.get(f"/api/jobs/{slug}/phases").json
        assert all(row["attempts"] <= 1 for row in rows)
        # A redelivery after the job ran starts nothing either.
        assert chalice_app.start_job({"Records": [records[0]]}, None) == {"batchItemFailures": []}
        assert len(fresh.emulator.client("stepfunctions").list_executions(
            stateMachineArn=config.load().state_machine_arn)["executions"]) == 1
    finally:
        fresh.emulator.start_poller(chalice_app.start_job)


def test_a_malformed_queue_message_is_reported_as_a_batch_failure(fresh):
    import app as chalice_app

    record = {"messageId": "bad-1", "receiptHandle": "r", "body": "{not json", "attributes": {}, "messageAttributes": {},
              "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn", "awsRegion": "us-east-1"}
    assert chalice_app.start_job({"Records": [record]}, None) == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}


def test_cancel_while_running_stops_before_the_next_phase(member, monkeypatch):
    import chalicelib.agents.architect as architect
    import chalicelib.agents.uiux as uiux

    original = architect.run
    entered, release, later_ran = threading.Event(), threading.Event(), []

    def slow(ctx):
        entered.set()
        release.wait(30)
        return original(ctx)

    monkeypatch.setattr(architect, "run", slow)
    monkeypatch.setattr(uiux, "run", lambda ctx: later_ran.append(True))
    slug = member.post("/api/jobs", JOB).json["slug"]
    assert entered.wait(30)
    reply = member.post(f"/api/jobs/{slug}/cancel")
    assert reply.json == {"slug": slug, "status": "cancel_requested", "cancel_requested": True}
    release.set()
    job = member.wait_for_job(slug)
    assert job["status"] == "cancelled" and job["cancel_requested"] is True
    statuses = _statuses(member, slug)
    assert statuses["architect"] == "passed"
    assert all(statuses[phase] == "cancelled" for phase in PHASES[PHASES.index("uiux"):])
    assert later_ran == []
    assert member.post(f"/api/jobs/{slug}/cancel").status == 409


def test_cancel_of_a_queued_job_ends_it_before_it_starts(member, fresh):
    import app as chalice_app

    fresh.emulator.poller.stop()
    try:
        slug = member.post("/api/jobs", JOB).json["slug"]
        assert member.post(f"/api/jobs/{slug}/cancel").status == 200
        job = member.get(f"/api/jobs/{slug}").json
        assert job["status"] == "cancelled"
        assert set(_statuses(member, slug).values()) == {"cancelled"}
    finally:
        fresh.emulator.start_poller(chalice_app.start_job)
    fresh.emulator.poller.poll_once()
    executions = fresh.emulator.client("stepfunctions").list_executions(stateMachineArn=config.load().state_machine_arn)
    assert executions["executions"] == []


def test_deleting_a_running_job_stops_its_execution(member, admin, monkeypatch, fresh):
    import chalicelib.agents.architect as architect

    entered, release = threading.Event(), threading.Event()
    original = architect.run

    def slow(ctx):
        entered.set()
        release.wait(30)
        return original(ctx)

    monkeypatch.setattr(architect, "run", slow)
    slug = member.post("/api/jobs", JOB).json["slug"]
    assert entered.wait(30)
    assert admin.delete(f"/api/jobs/{slug}?purge=true").json == {"deleted": slug, "purged": True}
    release.set()
    assert member.get(f"/api/jobs/{slug}").status == 404
    assert jobs.get_item("team-a", slug) is None
    fresh.emulator.settle()
    deadline = time.time() + 10
    leftovers = None
    while time.time() < deadline:
        leftovers = fresh.emulator.client("s3").list_object_versions(Bucket=config.load().bucket, Prefix=f"apps/team-a/{slug}/")
        if not leftovers.get("Versions"):
            break
        time.sleep(0.2)
    assert not leftovers.get("Versions"), "the phase that was running wrote files after the purge"


def test_execution_names_are_unique_per_run_and_legal():
    first = lifecycle.execution_name("team-a", "x" * 63, "run1")
    second = lifecycle.execution_name("team-a", "x" * 63, "run2")
    assert first != second and len(first) <= 80
    assert lifecycle.execution_name("t", "s", "r") == lifecycle.execution_name("t", "s", "r")


@pytest.mark.parametrize("name, slug", [
    ("Quản lý Chi tiêu Gia đình", "quan-ly-chi-tieu-gia-dinh"),
    ("Tom's \"Best\" $5 Deals", "tom-s-best-5-deals"),
    ("🍕🍕", "app"),
    ("123 Class", "123-class"),
])
def test_slug_derivation(name, slug):
    assert lifecycle.derive_slug(name) == slug


def test_state_machine_input_and_definition_stay_small():
    from chalicelib.pipeline.state_machine import build_definition

    definition = build_definition("arn:aws:lambda:us-east-1:123456789012:function:run_phase")
    assert len(json.dumps(definition)) < 64_000
    assert definition["States"]["QualityGate"]["Type"] == "Choice"
    assert all(f"Phase_{phase}" in definition["States"] for phase in PHASES)


def test_job_counts_follow_every_status_change_exactly(member, admin, monkeypatch):
    import chalicelib.agents.architect as architect

    def broken(ctx):
        raise RuntimeError("no architecture today")

    done = [member.post("/api/jobs", {**JOB, "slug": f"ok-{n}"}).json["slug"] for n in range(2)]
    for slug in done:
        member.wait_for_job(slug)
    monkeypatch.setattr(architect, "run", broken)
    failed = member.post("/api/jobs", {**JOB, "slug": "broken"}).json["slug"]
    member.wait_for_job(failed)
    assert admin.delete(f"/api/jobs/{done[0]}").status == 200

    summary = member.get("/api/tasks").json
    listed = member.get("/api/jobs").json
    assert summary["total"] == len(listed) == 2
    assert summary["success"] == sum(job["status"] == "succeeded" for job in listed) == 1
    assert summary["failed"] == sum(job["status"] == "failed" for job in listed) == 1
    assert summary["running"] == 0
    assert member.get("/api/kpis").json["success_rate"] == 50.0
