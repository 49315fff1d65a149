"""What arrives on the jobs queue: job messages from the API, and S3 notifications of request files."""

from __future__ import annotations

import json

from chalicelib.pipeline import lifecycle, request_files


def handle_message(body: str) -> str:
    """Start the job a message names (creating it first for a request file); returns what happened."""
    message = json.loads(body)
    if request_files.is_notification(message):
        return request_files.handle_notification(message)
    return lifecycle.start_job(message)
