"""Human decisions on HITL items: a checkpoint's decision resumes or ends its job's execution."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from chalicelib.auth import Principal
from chalicelib.domain.hitl import Checkpoint, Experience
from chalicelib.pipeline.checkpoints import SECURITY_FINDINGS
from chalicelib.store import activity, aws, files, hitl, items, jobs
from chalicelib.store.errors import Conflict, NotFound

GONE_TOKEN_CODES = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken", "ExecutionDoesNotExist"}


def _who(caller: Principal) -> str:
    return f"{caller.role}@{caller.team_id}"


def decide(caller: Principal, item_id: str, approve: bool, reason: str | None, kind: str | None = None) -> Checkpoint | Experience:
    """Approve or reject one pending item exactly once (Conflict on a second decision, NotFound for others)."""
    raw = hitl.get_raw(caller.team_id, item_id)
    if kind and raw["type"] != kind:
        raise NotFound(f"{kind} {item_id!r} not found")
    status = "approved" if approve else "rejected"
    decided = hitl.decide(caller.team_id, item_id, status, _who(caller), reason)
    if raw["type"] == "checkpoint":
        _resume_or_end(caller, decided, approve, reason)
    activity.record(caller.team_id, "hitl_decision", f"{raw['type']} {item_id} {status} by {_who(caller)}"
                    + (f": {reason}" if reason else ""), job_slug=raw.get("job_slug"),
                    details={"item_id": item_id, "type": raw["type"], "status": status, "decided_by": _who(caller)})
    return hitl.get(caller.team_id, item_id)


def _resume_or_end(caller: Principal, checkpoint: dict, approve: bool, reason: str | None) -> None:
    team_id, slug = checkpoint["team_id"], checkpoint["job_slug"]
    sfn = aws.sfn()
    try:
        if approve:
            if checkpoint.get("gate") == SECURITY_FINDINGS:
                files.S3Workspace(team_id, slug).write("docs/security_waiver.json", json.dumps({
                    "approved_by": _who(caller), "approved_at": items.now_iso(), "checkpoint_id": checkpoint["item_id"],
                    "note": "high security findings were accepted by a human for this release"}, indent=2))
            sfn.send_task_success(taskToken=checkpoint["task_token"],
                                  output=json.dumps({"approved": True, "by": _who(caller)}))
            try:
                jobs.update(team_id, slug, expected_status={"waiting_approval"}, status="running")
            except (Conflict, NotFound):
                pass
        else:
            cause = f"checkpoint before {checkpoint['phase']} rejected by {_who(caller)}: {reason or 'no reason given'}"
            sfn.send_task_failure(taskToken=checkpoint["task_token"], error="CheckpointRejected", cause=cause)
    except ClientError as error:
        if error.response["Error"]["Code"] not in GONE_TOKEN_CODES:
            raise
        hitl.mark(team_id, checkpoint["item_id"], "expired")
        raise Conflict("the job is no longer waiting at this checkpoint") from error


def fail_waiting_task(team_id: str, slug: str, error: str, cause: str) -> bool:
    """End a job waiting at a checkpoint at once (cancel, delete): fail its task token. True if it was waiting."""
    pending = hitl.pending_checkpoint_for_job(team_id, slug)
    if pending is None:
        return False
    try:
        aws.sfn().send_task_failure(taskToken=pending["task_token"], error=error, cause=cause)
    except ClientError as failure:
        if failure.response["Error"]["Code"] not in GONE_TOKEN_CODES:
            raise
    try:
        hitl.decide(team_id, pending["item_id"], "cancelled", "pipeline", cause)
    except Conflict:
        pass
    return True
