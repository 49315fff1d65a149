"""`make demo [REQUEST=path.json]`: one real job through the HTTP API on the embedded stack.

Shows each phase as it finishes, saves the ZIP under out/, unpacks it and prints the tree.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from chalicelib.domain.phases import PHASES

OUT = Path(__file__).resolve().parent.parent / "out"
TERMINAL = ("succeeded", "failed", "cancelled")
MARKS = {"passed": "ok", "skipped": "--", "failed": "XX", "cancelled": "cx", "running": "..", "pending": "  "}


def call(base: str, method: str, path: str, token: str | None = None, body: dict | None = None,
         headers: dict | None = None) -> tuple[int, bytes]:
    all_headers = {"Content-Type": "application/json", "Accept": "*/*", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def print_tree(root: Path) -> None:
    """The unpacked project as an indented tree."""
    for path in sorted(root.rglob("*")):
        depth = len(path.relative_to(root).parts) - 1
        suffix = "/" if path.is_dir() else f"  ({path.stat().st_size} B)"
        print(f"  {'    ' * depth}{path.name}{suffix}")


def run_demo(request_path: Path, base: str, admin_key: str) -> int:
    body = json.loads(request_path.read_text(encoding="utf-8"))
    status, raw = call(base, "POST", "/api/auth/token", body={"team_id": "demo", "role": "admin"},
                       headers={"X-Admin-Key": admin_key})
    if status != 200:
        print(f"could not get a token: {status} {raw.decode()}", file=sys.stderr)
        return 1
    token = json.loads(raw)["token"]
    status, raw = call(base, "POST", "/api/jobs", token, body)
    if status != 202:
        print(f"job refused: {status} {raw.decode()}", file=sys.stderr)
        return 1
    job = json.loads(raw)
    slug = job["slug"]
    print(f"job {slug!r} queued: {job['name']}")
    started, shown = time.time(), set()
    while True:
        job = json.loads(call(base, "GET", f"/api/jobs/{slug}", token)[1])
        phases = json.loads(call(base, "GET", f"/api/jobs/{slug}/phase-status", token)[1])
        for phase in PHASES:
            state = phases.get(phase)
            if state in ("passed", "skipped", "failed", "cancelled") and phase not in shown:
                shown.add(phase)
                print(f"  [{MARKS[state]}] {phase:<9} {state:<9} {time.time() - started:6.1f}s", flush=True)
        if job["status"] in TERMINAL:
            break
        if time.time() - started > 600:
            print("gave up waiting after 600 s", file=sys.stderr)
            return 1
        time.sleep(0.3)
    print(f"job {job['status']} in {time.time() - started:.1f}s")
    if job["status"] != "succeeded":
        print(f"error: {job['error']}", file=sys.stderr)
        return 1
    status, data = call(base, "GET", f"/api/jobs/{slug}/download", token, headers={"Accept": "application/zip"})
    if status != 200:
        print(f"download failed: {status}", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    zip_path = OUT / f"{slug}_source.zip"
    zip_path.write_bytes(data)
    target = OUT / slug
    if target.exists():
        import shutil

        shutil.rmtree(target)
    zipfile.ZipFile(io.BytesIO(data)).extractall(target)
    print(f"saved {zip_path.relative_to(OUT.parent)} ({len(data)} bytes), unpacked to {target.relative_to(OUT.parent)}/")
    print_tree(target)
    return 0


def main(argv: list[str]) -> int:
    from infra.emulator import PortInUse, free_port
    from infra.stack import start_stack

    request_path = Path(argv[1] if len(argv) > 1 else "../shared/examples/requests/pantry-saver.json")
    if not request_path.is_file():
        print(f"error: no request file at {request_path}", file=sys.stderr)
        return 1
    os.environ.setdefault("STAGE", "local")
    try:
        stack = start_stack(free_port(), free_port())
    except PortInUse as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    # The progress display is the demo's output; the app's own info lines would interleave with it.
    logging.getLogger("ai-software-factory").setLevel(logging.WARNING)
    from chalicelib import config

    try:
        return run_demo(request_path, stack.api_url, config.load().admin_api_key or "")
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
