"""Checkpoints: the pipeline side of a human gate (open it, close it when the job ends)."""

from __future__ import annotations

from chalicelib.llm.agent_defaults import AGENT_DEFAULTS
from chalicelib.pipeline.guards import live_job
from chalicelib.pipeline.registry import REGISTRY
from chalicelib.store import activity, files, hitl, jobs, phases, settings
from chalicelib.store.errors import Conflict

SECURITY_FINDINGS = "security_findings"


def _action(phase: str, reason: str | None) -> str:
    if reason == SECURITY_FINDINGS:
        return "Ship despite the high security findings? Approve to continue to the release review, reject to fail the job."
    agent = AGENT_DEFAULTS[REGISTRY[phase].agent_id].name
    return f"Approve starting the {phase} phase ({agent}); reject to stop the job."


def _summary(team_id: str, slug: str, reason: str | None) -> str:
    lines = []
    for row in phases.list_rows(team_id, slug):
        if row.status in ("passed", "skipped", "failed"):
            lines.append(f"{row.phase}: {row.status}" + (f" - {row.summary}" if row.summary else ""))
    if reason == SECURITY_FINDINGS:
        report = files.S3Workspace(team_id, slug).read("docs/security_report.md") or ""
        lines.append("Security report:\n" + report[:2000])
    return "\n".join(lines) or "nothing produced yet"


def open_checkpoint(event: dict) -> dict:
    """Store a pending checkpoint with the execution's task token and set the job waiting_approval."""
    team_id, slug, run_id, phase = event["team_id"], event["slug"], event["run_id"], event["phase"]
    live_job(team_id, slug, run_id)
    reason = event.get("reason")
    documents = files.S3Workspace(team_id, slug).list("docs/")
    gate = SECURITY_FINDINGS if reason == SECURITY_FINDINGS else "phase"
    checkpoint = hitl.create_checkpoint(team_id, slug, phase, gate, _action(phase, reason), _summary(team_id, slug, reason),
                                        documents, event["task_token"])
    try:
        jobs.update(team_id, slug, expected_status={"queued", "running"}, status="waiting_approval", current_phase=phase)
    except Conflict:
        pass
    activity.record(team_id, "checkpoint_waiting", f"waiting for approval before {phase}: {checkpoint.action}",
                    level="warning", job_slug=slug, details={"checkpoint_id": checkpoint.id})
    return {"checkpoint_id": checkpoint.id}


def close_pending(team_id: str, slug: str, status: str) -> dict | None:
    """Mark the job's waiting checkpoint (if any) `status` when the job ends; returns it."""
    pending = hitl.pending_checkpoint_for_job(team_id, slug)
    if pending is None:
        return None
    try:
        return hitl.decide(team_id, pending["item_id"], status, "pipeline", None)
    except Conflict:
        return None


def timeout_message(checkpoint: dict) -> str:
    seconds = settings.get_all()["checkpoint_timeout_seconds"]
    return (f"the checkpoint before {checkpoint['phase']} was not decided within {seconds} seconds "
            f"(checkpoint_timeout_seconds); the job stopped")


def rejection_message(team_id: str, slug: str) -> str | None:
    """The job's error after a rejected checkpoint, from the stored decision.

    Read from the record rather than the Step Functions Cause, which not every runtime carries.
    """
    for checkpoint in hitl.list_items(team_id, kind="checkpoint", status="rejected"):
        if checkpoint.job_slug == slug:
            return (f"the checkpoint before {checkpoint.phase} was rejected by {checkpoint.decided_by}: "
                    f"{checkpoint.reason or 'no reason given'}")
    return None
