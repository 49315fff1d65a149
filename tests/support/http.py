"""A tiny real HTTP client for the API under test."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

TERMINAL = ("succeeded", "failed", "cancelled")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class ApiClient:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self._opener = urllib.request.build_opener(NoRedirect)

    def request(self, method: str, path: str, body: Any = None, headers: dict | None = None,
                raw: bytes | None = None) -> Reply:
        all_headers = {"Accept": "*/*"}
        if body is not None or raw is not None:
            all_headers["Content-Type"] = "application/json"
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=all_headers)
        try:
            with self._opener.open(request, timeout=30) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.request("POST", path, body=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        return self.request("DELETE", path, **kwargs)

    def wait_for_job(self, slug: str, statuses: tuple[str, ...] = TERMINAL, timeout: float = 90) -> dict:
        """Poll the job until its status is one of `statuses`."""
        deadline = time.time() + timeout
        while True:
            job = self.get(f"/api/jobs/{slug}").json
            if job.get("status") in statuses:
                return job
            if time.time() > deadline:
                raise AssertionError(f"job {slug} still {job.get('status')} after {timeout}s")
            time.sleep(0.2)
