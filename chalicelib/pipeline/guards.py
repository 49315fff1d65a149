"""The check every pipeline step makes before it does anything: is this job run still wanted?"""

from __future__ import annotations

from chalicelib.domain.phases import ACTIVE_JOB_STATUSES
from chalicelib.pipeline.errors import JobCancelled
from chalicelib.store import jobs


def live_job(team_id: str, slug: str, run_id: str) -> dict:
    """The job's item; JobCancelled when it was deleted, cancelled or already ended."""
    item = jobs.get_item(team_id, slug)
    if item is None or item.get("run_id") != run_id:
        raise JobCancelled(f"job {slug!r} was deleted")
    if item.get("cancel_requested"):
        raise JobCancelled(f"job {slug!r} was cancelled")
    if item["status"] not in ACTIVE_JOB_STATUSES:
        raise JobCancelled(f"job {slug!r} already ended ({item['status']})")
    return item
