"""A job's life outside the state machine: create and enqueue, start, cancel, delete."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid

from botocore.exceptions import ClientError

from chalicelib import config
from chalicelib.domain.jobs import Job, JobCreate
from chalicelib.domain.phases import ACTIVE_JOB_STATUSES, PHASES
from chalicelib.pipeline import approvals
from chalicelib.pipeline.registry import agents_by_phase
from chalicelib.store import activity, aws, files, items, jobs, phases, settings
from chalicelib.store.errors import Conflict, NotFound

MAX_SLUG_SUFFIX = 1000


class QueueUnavailable(Exception):
    """The job was recorded but could not be enqueued; it is marked failed."""


def derive_slug(name: str) -> str:
    """A URL slug from any name: Unicode transliterated, `[a-z0-9-]`, at most 63 characters."""
    from slugify import slugify

    slug = slugify(name, max_length=55, word_boundary=True, lowercase=True)
    return slug or "app"


@functools.lru_cache(maxsize=4)
def _queue_url(queue_name: str, endpoint: str | None) -> str:
    return aws.sqs().get_queue_url(QueueName=queue_name)["QueueUrl"]


def queue_url() -> str:
    deployment = config.load()
    return _queue_url(deployment.queue_name, deployment.endpoint_url)


def create_job(team_id: str, request: JobCreate) -> Job:
    """Record the job and its 13 pending phases, then enqueue it. Explicit slugs that exist are a Conflict."""
    now = items.now_iso()
    run_id = uuid.uuid4().hex[:12]
    base = request.slug or derive_slug(request.name)
    candidates = [base] if request.slug else [base] + [f"{base}-{n}" for n in range(2, MAX_SLUG_SUFFIX)]
    fields = request.model_dump(exclude={"slug"})
    for slug in candidates:
        job = Job(slug=slug, team_id=team_id, status="queued", created_at=now, updated_at=now, **fields)
        try:
            jobs.create(job, run_id)
            break
        except Conflict:
            if request.slug:
                raise
    else:
        raise Conflict(f"too many jobs named like {base!r}; pass an explicit slug")
    phases.init(team_id, job.slug, agents_by_phase())
    activity.record(team_id, "job_created", f"job {job.slug} queued", job_slug=job.slug)
    message = {"team_id": team_id, "slug": job.slug, "run_id": run_id}
    try:
        aws.sqs().send_message(QueueUrl=queue_url(), MessageBody=json.dumps(message))
    except ClientError as error:
        jobs.update(team_id, job.slug, status="failed", error="could not enqueue the job; try again", finished_at=items.now_iso())
        raise QueueUnavailable(str(error)) from error
    return job


def execution_name(team_id: str, slug: str, run_id: str) -> str:
    """A Step Functions execution name unique to this job run (so a duplicate delivery starts nothing)."""
    readable = re.sub(r"[^A-Za-z0-9_-]", "-", f"{team_id}--{slug}")
    digest = hashlib.sha256(f"{team_id}\n{slug}\n{run_id}".encode()).hexdigest()[:12]
    return f"{readable[:80 - 14]}--{digest}"


def gates_for(job_checkpoints: list[str], platform_checkpoints: str) -> dict[str, bool]:
    """Which phases pause for a human before they start: the job's own plus the platform-wide ones."""
    wanted = set(job_checkpoints) | {name for name in platform_checkpoints.split(",") if name}
    return {phase: phase in wanted for phase in PHASES[1:]}


def start_job(message: dict) -> str:
    """Start the job's execution from its queue message; returns what happened, for the log."""
    team_id, slug, run_id = message["team_id"], message["slug"], message["run_id"]
    item = jobs.get_item(team_id, slug)
    if item is None or item.get("run_id") != run_id:
        return "job no longer exists"
    if item["status"] != "queued":
        return f"job already {item['status']}"
    if item.get("cancel_requested"):
        _mark_cancelled_before_start(team_id, slug)
        return "cancelled before start"
    deployment = config.load()
    platform = settings.get_all()
    name = execution_name(team_id, slug, run_id)
    try:
        response = aws.sfn().start_execution(
            stateMachineArn=deployment.state_machine_arn,
            name=name,
            input=json.dumps({
                "team_id": team_id, "slug": slug, "run_id": run_id,
                "gates": gates_for(item.get("checkpoints") or [], platform["checkpoint_phases"]),
                "checkpoint_timeout_seconds": int(platform["checkpoint_timeout_seconds"]),
            }),
        )
        execution_arn = response["executionArn"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        return "execution already started"
    try:
        jobs.update(team_id, slug, execution_arn=execution_arn)
    except NotFound:
        return "job deleted while starting"
    activity.record(team_id, "job_started", f"execution {name} started", job_slug=slug)
    return "started"


def _mark_cancelled_before_start(team_id: str, slug: str) -> None:
    now = items.now_iso()
    try:
        jobs.update(team_id, slug, expected_status={"queued"}, status="cancelled", finished_at=now, error="cancelled by request")
    except Conflict:
        return
    for phase in PHASES:
        phases.update(team_id, slug, phase, status="cancelled")
    activity.record(team_id, "job_cancelled", "job cancelled before it started", level="warning", job_slug=slug)


def cancel_job(team_id: str, slug: str) -> Job:
    """Ask the pipeline to stop before its next phase; Conflict when the job already ended."""
    job = jobs.update(team_id, slug, expected_status=ACTIVE_JOB_STATUSES, cancel_requested=True)
    activity.record(team_id, "job_cancel_requested", "cancel requested", level="warning", job_slug=slug)
    if job.status == "waiting_approval":
        approvals.fail_waiting_task(team_id, slug, "JobCancelled", "the job was cancelled while waiting for approval")
    elif job.status == "queued":
        item = jobs.get_item(team_id, slug)
        if item and not item.get("execution_arn"):
            _mark_cancelled_before_start(team_id, slug)
    return job


def delete_job(team_id: str, slug: str, purge: bool) -> None:
    """Delete the record (cancelling a running job first); `purge` also deletes its files and ZIP."""
    item = jobs.get_item(team_id, slug)
    if item is None:
        raise NotFound(f"job {slug!r} not found")
    if item["status"] in ACTIVE_JOB_STATUSES:
        try:
            jobs.update(team_id, slug, expected_status=ACTIVE_JOB_STATUSES, cancel_requested=True)
        except Conflict:
            pass
        if item["status"] == "waiting_approval":
            approvals.fail_waiting_task(team_id, slug, "JobCancelled", "the job was deleted while waiting for approval")
        if item.get("execution_arn"):
            _stop_execution(item["execution_arn"])
    if purge:
        jobs.mark_purged(team_id, slug, item["run_id"])
    jobs.delete(team_id, slug)
    phases.delete_all(team_id, slug)
    if purge:
        files.S3Workspace(team_id, slug).delete_everything()
    activity.record(team_id, "job_deleted", f"job {slug} deleted" + (" with its files" if purge else ""),
                    level="warning", job_slug=slug)


def _stop_execution(execution_arn: str) -> None:
    try:
        aws.sfn().stop_execution(executionArn=execution_arn, error="JobDeleted", cause="the job was deleted")
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("ExecutionDoesNotExist", "InvalidArn"):
            raise
