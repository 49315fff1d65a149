"""Jobs endpoints: create, list, inspect, cancel, delete, browse files, download the ZIP."""

from __future__ import annotations

import posixpath

from chalice import Blueprint, Response

from chalicelib.api.errors import (
    BadRequest,
    ConflictError,
    Forbidden,
    NotFoundError,
    PayloadTooLarge,
    ServiceUnavailable,
)
from chalicelib.api.routing import query_bool, query_int, query_params, route
from chalicelib.auth import Principal
from chalicelib.domain.jobs import CancelResult, DeleteResult, FileContent, Job, JobCreate, PhaseRow, TreeEntry
from chalicelib.domain.phases import JOB_STATUSES, PHASES
from chalicelib.pipeline import lifecycle
from chalicelib.store import activity, files, jobs, phases
from chalicelib.store.errors import Conflict, NotFound

blueprint = Blueprint(__name__)

MAX_FILE_BYTES = 500 * 1024
# A Lambda response carries at most 6 MB and base64 adds a third: above this, redirect to S3.
MAX_INLINE_ZIP_BYTES = 4_500_000
LOG_LEVELS = ("debug", "info", "warning", "error")


def _job(caller: Principal, slug: str) -> Job:
    try:
        return jobs.get(caller.team_id, slug)
    except NotFound as error:
        raise NotFoundError(f"job {slug!r} not found") from error


@route(blueprint, "/api/jobs", "POST", "Create and enqueue a generation job", role="member",
       body=JobCreate, response=Job, status=202, tag="jobs")
def create_job(caller: Principal, request: JobCreate) -> Job:
    try:
        return lifecycle.create_job(caller.team_id, request)
    except Conflict as error:
        raise ConflictError(str(error)) from error
    except lifecycle.QueueUnavailable as error:
        raise ServiceUnavailable("the job queue is unavailable; the job was recorded as failed, try again") from error


@route(blueprint, "/api/jobs", "GET", "The team's jobs, newest first", response=list[Job], tag="jobs",
       query={"status": "one job status", "limit": "1-200, default 50", "cursor": "from X-Next-Cursor"})
def list_jobs(caller: Principal) -> Response:
    request = blueprint.current_request
    params = query_params(request)
    status = params.get("status") or None
    if status is not None and status not in JOB_STATUSES:
        raise BadRequest(f"status: must be one of {', '.join(JOB_STATUSES)}")
    limit = query_int(request, "limit", 50, 1, 200)
    try:
        page, cursor = jobs.list_jobs(caller.team_id, status, limit, params.get("cursor") or None)
    except ValueError as error:
        raise BadRequest(f"cursor: {error}") from error
    headers = {"Content-Type": "application/json"}
    if cursor:
        headers["X-Next-Cursor"] = cursor
    return Response(body=[job.model_dump(mode="json") for job in page], status_code=200, headers=headers)


@route(blueprint, "/api/jobs/{slug}", "GET", "One job", response=Job, tag="jobs")
def get_job(caller: Principal, slug: str) -> Job:
    return _job(caller, slug)


@route(blueprint, "/api/jobs/{slug}", "DELETE", "Delete a job (cancelling it first); purge=true deletes its files",
       role="admin", response=DeleteResult, tag="jobs", query={"purge": "true|false"})
def delete_job(caller: Principal, slug: str) -> DeleteResult:
    purge = query_bool(blueprint.current_request, "purge", False)
    try:
        lifecycle.delete_job(caller.team_id, slug, purge)
    except NotFound as error:
        raise NotFoundError(f"job {slug!r} not found") from error
    return DeleteResult(deleted=slug, purged=purge)


@route(blueprint, "/api/jobs/{slug}/phases", "GET", "The job's phases in order", response=list[PhaseRow], tag="jobs")
def list_phases(caller: Principal, slug: str) -> list[PhaseRow]:
    _job(caller, slug)
    return phases.list_rows(caller.team_id, slug)


@route(blueprint, "/api/jobs/{slug}/phase-status", "GET", "Phase name to status", response=dict[str, str], tag="jobs")
def phase_status(caller: Principal, slug: str) -> dict:
    _job(caller, slug)
    statuses = {row.phase: row.status for row in phases.list_rows(caller.team_id, slug)}
    return {phase: statuses.get(phase, "pending") for phase in PHASES}


@route(blueprint, "/api/jobs/{slug}/logs", "GET", "The job's activity log", response=list[dict], tag="jobs",
       query={"phase": "a phase name", "level": "debug|info|warning|error"})
def job_logs(caller: Principal, slug: str) -> list[dict]:
    _job(caller, slug)
    params = query_params(blueprint.current_request)
    phase, level = params.get("phase") or None, params.get("level") or None
    if phase is not None and phase not in PHASES:
        raise BadRequest(f"phase: must be one of {', '.join(PHASES)}")
    if level is not None and level not in LOG_LEVELS:
        raise BadRequest(f"level: must be one of {', '.join(LOG_LEVELS)}")
    return activity.for_job(caller.team_id, slug, phase=phase, level=level)


@route(blueprint, "/api/jobs/{slug}/cancel", "POST", "Cancel a job", role="member", response=CancelResult, tag="jobs")
def cancel_job(caller: Principal, slug: str) -> CancelResult:
    try:
        lifecycle.cancel_job(caller.team_id, slug)
    except NotFound as error:
        raise NotFoundError(f"job {slug!r} not found") from error
    except Conflict as error:
        current = _job(caller, slug).status
        raise ConflictError(f"job {slug!r} is {current}; only queued, running or waiting jobs can be cancelled") from error
    return CancelResult(slug=slug)


@route(blueprint, "/api/jobs/{slug}/download", "GET", "The generated project as a ZIP", tag="jobs")
def download(caller: Principal, slug: str) -> Response:
    job = _job(caller, slug)
    size = files.export_size(caller.team_id, slug) if job.download_ready else None
    if size is None:
        raise NotFoundError(f"job {slug!r} has no export yet (status {job.status})")
    if size > MAX_INLINE_ZIP_BYTES:
        url = files.presigned_export_url(caller.team_id, slug)
        return Response(body={"url": url, "size": size}, status_code=302, headers={"Location": url})
    data = files.read_export(caller.team_id, slug)
    return Response(body=data, status_code=200, headers={
        "Content-Type": "application/zip",
        "Content-Disposition": f"attachment; filename={slug}_source.zip",
    })


def _safe_path(raw: str | None) -> str:
    """A normalised path under source/ or docs/; 403 for anything else, traversal included."""
    if not raw:
        raise BadRequest("path: query parameter is required")
    if "\\" in raw or "\x00" in raw or raw.startswith("/"):
        raise Forbidden("path must stay under source/ or docs/")
    normalised = posixpath.normpath(raw)
    if ".." in normalised.split("/") or not normalised.startswith(files.BROWSABLE_ROOTS):
        raise Forbidden("path must stay under source/ or docs/")
    return normalised


@route(blueprint, "/api/jobs/{slug}/code/tree", "GET", "Files and folders under source/ and docs/",
       response=list[TreeEntry], tag="jobs")
def code_tree(caller: Principal, slug: str) -> list[TreeEntry]:
    _job(caller, slug)
    workspace = files.S3Workspace(caller.team_id, slug)
    entries: dict[str, TreeEntry] = {}
    for root in files.BROWSABLE_ROOTS:
        for path, size in workspace.list_with_sizes(root):
            parts = path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                entries.setdefault(folder, TreeEntry(path=folder, name=parts[depth - 1], isDir=True, size=0))
            entries[path] = TreeEntry(path=path, name=parts[-1], isDir=False, size=size)
    return [entries[path] for path in sorted(entries)]


@route(blueprint, "/api/jobs/{slug}/code/file", "GET", "One text file under source/ or docs/",
       response=FileContent, tag="jobs", query={"path": "e.g. source/lib/main.dart"})
def code_file(caller: Principal, slug: str) -> FileContent:
    path = _safe_path(query_params(blueprint.current_request).get("path"))
    _job(caller, slug)
    workspace = files.S3Workspace(caller.team_id, slug)
    size = workspace.size_of(path)
    if size is None:
        raise NotFoundError(f"file {path!r} not found")
    if size > MAX_FILE_BYTES:
        raise PayloadTooLarge(f"file {path!r} is {size} bytes; the limit is {MAX_FILE_BYTES}")
    data = workspace.read_bytes(path) or b""
    if b"\x00" in data:
        raise BadRequest(f"file {path!r} is binary")
    try:
        return FileContent(path=path, content=data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest(f"file {path!r} is binary") from error
