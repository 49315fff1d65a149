"""Human in the loop: experiences, checkpoints, the unified queue, decisions."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.errors import BadRequest, ConflictError, NotFoundError
from chalicelib.api.routing import query_params, route
from chalicelib.auth import Principal
from chalicelib.domain.hitl import Checkpoint, Experience, HitlQueue
from chalicelib.pipeline import approvals
from chalicelib.store import hitl
from chalicelib.store.errors import Conflict, NotFound

blueprint = Blueprint(__name__)

STATUSES = ("pending", "approved", "rejected", "expired", "cancelled")
MAX_REASON = 1000


def _status_filter() -> str | None:
    status = query_params(blueprint.current_request).get("status") or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"status: must be one of {', '.join(STATUSES)}")
    return status


def _reason() -> str | None:
    reason = query_params(blueprint.current_request).get("reason") or None
    if reason is not None and len(reason) > MAX_REASON:
        raise BadRequest(f"reason: at most {MAX_REASON} characters")
    return reason


def _decide(caller: Principal, item_id: str, approve: bool, kind: str | None):
    try:
        return approvals.decide(caller, item_id, approve, None if approve else _reason(), kind)
    except NotFound as error:
        raise NotFoundError(str(error)) from error
    except Conflict as error:
        raise ConflictError(str(error)) from error


@route(blueprint, "/api/experiences", "GET", "The team's experiences", response=list[Experience], tag="hitl",
       query={"status": "pending|approved|rejected"})
def list_experiences(caller: Principal) -> list:
    return hitl.list_items(caller.team_id, kind="experience", status=_status_filter())


@route(blueprint, "/api/experiences/{item_id}/approve", "POST", "Approve an experience", role="member",
       response=Experience, tag="hitl")
def approve_experience(caller: Principal, item_id: str):
    return _decide(caller, item_id, True, "experience")


@route(blueprint, "/api/experiences/{item_id}/reject", "POST", "Reject an experience", role="member",
       response=Experience, tag="hitl", query={"reason": "why"})
def reject_experience(caller: Principal, item_id: str):
    return _decide(caller, item_id, False, "experience")


@route(blueprint, "/api/checkpoints", "GET", "The team's checkpoints", response=list[Checkpoint], tag="hitl",
       query={"status": "pending|approved|rejected|expired|cancelled"})
def list_checkpoints(caller: Principal) -> list:
    return hitl.list_items(caller.team_id, kind="checkpoint", status=_status_filter())


@route(blueprint, "/api/checkpoints/{item_id}/approve", "POST", "Approve a checkpoint: the job resumes", role="member",
       response=Checkpoint, tag="hitl")
def approve_checkpoint(caller: Principal, item_id: str):
    return _decide(caller, item_id, True, "checkpoint")


@route(blueprint, "/api/checkpoints/{item_id}/reject", "POST", "Reject a checkpoint: the job fails", role="member",
       response=Checkpoint, tag="hitl", query={"reason": "why"})
def reject_checkpoint(caller: Principal, item_id: str):
    return _decide(caller, item_id, False, "checkpoint")


@route(blueprint, "/api/hitl/queue", "GET", "Everything waiting for a human", response=HitlQueue, tag="hitl")
def queue(caller: Principal) -> HitlQueue:
    pending = hitl.list_items(caller.team_id, status="pending")
    counts = {"experiences": sum(item.type == "experience" for item in pending),
              "checkpoints": sum(item.type == "checkpoint" for item in pending)}
    return HitlQueue(pending=[item.model_dump(mode="json") for item in pending], counts=counts)


@route(blueprint, "/api/hitl/{item_id}/approve", "POST", "Approve an item of either kind", role="member", tag="hitl")
def approve_any(caller: Principal, item_id: str):
    return _decide(caller, item_id, True, None)


@route(blueprint, "/api/hitl/{item_id}/reject", "POST", "Reject an item of either kind", role="member", tag="hitl",
       query={"reason": "why"})
def reject_any(caller: Principal, item_id: str):
    return _decide(caller, item_id, False, None)
