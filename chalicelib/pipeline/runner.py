"""`run_phase`: the one Lambda the state machine invokes, for every phase and for the final marks."""

from __future__ import annotations

import json
import logging

from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from chalicelib.domain.phases import ACTIVE_JOB_STATUSES, PHASES
from chalicelib.domain.spec import JobSpec
from chalicelib.llm import binding
from chalicelib.pipeline import checkpoints, experiences
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome
from chalicelib.pipeline.errors import JobCancelled, PhaseFailed, TransientError
from chalicelib.pipeline.guards import live_job
from chalicelib.pipeline.registry import REGISTRY
from chalicelib.store import activity, files, items, jobs, phases, settings
from chalicelib.store.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

MAX_FINDINGS_ON_ROW = 50
THROTTLING_CODES = {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
                    "SlowDown", "ServiceUnavailable", "InternalServerError"}


def handle(event: dict) -> dict:
    """Entry point: `action` is `phase` (run one phase) or `finalize` (mark the job's outcome)."""
    try:
        if event.get("action") == "finalize":
            return finalize(event)
        if event.get("action") == "checkpoint":
            return checkpoints.open_checkpoint(event)
        return run_phase(event)
    except BotoConnectionError as error:
        raise TransientError(str(error)) from error
    except ClientError as error:
        if error.response["Error"]["Code"] in THROTTLING_CODES:
            raise TransientError(str(error)) from error
        raise


def _spec(item: dict) -> JobSpec:
    return JobSpec.model_validate({key: item[key] for key in JobSpec.model_fields if key in item})


def run_phase(event: dict) -> dict:
    """Run one phase: check cancel, mark running, do the work, record the outcome."""
    team_id, slug, run_id, phase = event["team_id"], event["slug"], event["run_id"], event["phase"]
    item = live_job(team_id, slug, run_id)
    definition = REGISTRY[phase]
    rows = {row.phase: row for row in phases.list_rows(team_id, slug)}
    for earlier in PHASES[: PHASES.index(phase)]:
        if rows[earlier].status == "pending":
            phases.update(team_id, slug, earlier, status="skipped", summary="not needed for this job")
    started = items.now_iso()
    phases.update(team_id, slug, phase, add_attempt=True, status="running", started_at=started, finished_at=None, error=None)
    changes = {"status": "running", "current_phase": phase}
    if not item.get("started_at"):
        changes["started_at"] = started
    try:
        jobs.update(team_id, slug, expected_status=ACTIVE_JOB_STATUSES, **changes)
    except (Conflict, NotFound) as error:
        raise JobCancelled(str(error)) from error
    attempt = rows[phase].attempts + 1
    activity.record(team_id, "phase_started", f"{phase} started (attempt {attempt})", job_slug=slug,
                    phase=phase, agent=definition.agent_id)

    def log(level: str, message: str) -> None:
        activity.record(team_id, "phase_log", message, level=level, job_slug=slug, phase=phase, agent=definition.agent_id)

    try:
        lessons = experiences.lessons_for(team_id, definition.agent_id)
        context = PhaseContext(
            job=_spec(item),
            phase=phase,
            agent_id=definition.agent_id,
            attempt=attempt,
            workspace=files.S3Workspace(team_id, slug),
            llm=binding.for_phase(team_id, slug, phase, definition.agent_id, lessons),
            settings=settings.get_all(),
            log=log,
            feature_mappings=experiences.approved_feature_mappings(team_id) if phase == "ba" else {},
        )
        outcome: PhaseOutcome = definition.handler()(context)
    except Exception as error:
        _mark_phase_failed(team_id, slug, phase, definition.agent_id, f"{type(error).__name__}: {error}")
        raise
    _stop_if_deleted_meanwhile(team_id, slug, run_id)
    if outcome.status == "failed":
        message = outcome.summary or f"{phase} failed"
        _mark_phase_failed(team_id, slug, phase, definition.agent_id, message)
        raise PhaseFailed(message)
    phases.update(team_id, slug, phase, status=outcome.status, finished_at=items.now_iso(),
                  outputs=outcome.outputs, summary=outcome.summary[:1000],
                  findings=[finding.to_dict() for finding in outcome.findings[:MAX_FINDINGS_ON_ROW]])
    activity.record(team_id, f"phase_{outcome.status}", f"{phase} {outcome.status}: {outcome.summary}"[:500],
                    job_slug=slug, phase=phase, agent=definition.agent_id,
                    details={"outputs": len(outcome.outputs), "findings": len(outcome.findings)})
    return {
        **outcome.data,
        "phase": phase,
        "status": outcome.status,
        "passed": bool(outcome.data.get("passed", True)),
        "needs_approval": bool(outcome.data.get("needs_approval", False)),
    }


def _stop_if_deleted_meanwhile(team_id: str, slug: str, run_id: str) -> None:
    """A job deleted while its phase ran: drop what the phase wrote late if the delete purged, then stop."""
    item = jobs.get_item(team_id, slug)
    if item is not None and item.get("run_id") == run_id:
        return
    # A new job may already own the slug (and the prefix): then its files are not ours to delete.
    if item is None and jobs.was_purged(team_id, slug, run_id):
        files.S3Workspace(team_id, slug).delete_everything()
    raise JobCancelled(f"job {slug!r} was deleted while its phase ran")


def _mark_phase_failed(team_id: str, slug: str, phase: str, agent_id: str, message: str) -> None:
    phases.update(team_id, slug, phase, status="failed", finished_at=items.now_iso(), error=message[:2000])
    activity.record(team_id, "phase_failed", f"{phase} failed: {message}"[:2000], level="error",
                    job_slug=slug, phase=phase, agent=agent_id)


def error_message(error: dict | None) -> str:
    """The human message inside a Step Functions Catch result (`{"Error", "Cause"}`)."""
    if not error:
        return "the pipeline stopped"
    cause = error.get("Cause") or ""
    try:
        parsed = json.loads(cause)
        if isinstance(parsed, dict) and parsed.get("errorMessage"):
            return str(parsed["errorMessage"])
    except (ValueError, TypeError):
        pass
    return cause or str(error.get("Error") or "the pipeline stopped")


def finalize(event: dict) -> dict:
    """Mark the job succeeded, failed or cancelled, and close its open phase rows to match."""
    team_id, slug, run_id, outcome = event["team_id"], event["slug"], event["run_id"], event["outcome"]
    item = jobs.get_item(team_id, slug)
    if item is None or item.get("run_id") != run_id:
        return {"outcome": "deleted"}
    now = items.now_iso()
    message = error_message(event.get("error"))
    if outcome == "cancelled" and not item.get("cancel_requested"):
        outcome = "failed"
    if outcome != "succeeded":
        expired = checkpoints.close_pending(team_id, slug, "cancelled" if outcome == "cancelled" else "expired")
        error_name = (event.get("error") or {}).get("Error")
        if expired and error_name == "States.Timeout":
            message = checkpoints.timeout_message(expired)
        elif error_name == "CheckpointRejected":
            message = checkpoints.rejection_message(team_id, slug) or message
    for row in phases.list_rows(team_id, slug):
        if outcome == "cancelled" and row.status in ("pending", "running"):
            phases.update(team_id, slug, row.phase, status="cancelled", finished_at=now if row.status == "running" else None)
        elif outcome == "failed" and row.status == "running":
            phases.update(team_id, slug, row.phase, status="failed", finished_at=now, error=message[:2000])
        elif outcome == "failed" and row.status == "pending":
            phases.update(team_id, slug, row.phase, status="skipped", summary="not run: the job failed before it")
    changes: dict = {"status": outcome, "finished_at": now}
    if outcome == "succeeded":
        changes.update(download_ready=True, current_phase=None)
    elif outcome == "failed":
        changes["error"] = message[:2000]
    else:
        changes["error"] = "cancelled by request"
    if outcome in ("succeeded", "failed"):
        # Before the status changes, so a client that sees the job end also sees its lessons
        # (a second finalize adds none: one experience per distinct lesson).
        experiences.extract(team_id, slug, outcome)
    try:
        jobs.update(team_id, slug, expected_status=ACTIVE_JOB_STATUSES, **changes)
    except Conflict:
        return {"outcome": item["status"]}
    level = "info" if outcome == "succeeded" else "error" if outcome == "failed" else "warning"
    activity.record(team_id, f"job_{outcome}", f"job {outcome}" + (f": {message}" if outcome == "failed" else ""),
                    level=level, job_slug=slug)
    return {"outcome": outcome}
