"""`make bench`: figures, not thresholds. Job time end to end, cold import cost, package size,
generated files and lines, seconds per phase."""

from __future__ import annotations

import datetime as dt
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from chalicelib.domain.phases import PHASES

PROJECT_DIR = Path(__file__).resolve().parent.parent
REQUEST = PROJECT_DIR.parent / "shared" / "examples" / "requests" / "pantry-saver.json"
RUNS = 5


def _import_seconds(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def _parse(ts: str) -> dt.datetime:
    return dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ")


def bench_jobs() -> None:
    from chalicelib import config
    from infra.demo import call
    from infra.emulator import free_port
    from infra.stack import start_stack

    stack = start_stack(free_port(), free_port())
    try:
        base = stack.api_url
        token = json.loads(call(base, "POST", "/api/auth/token", body={"team_id": "bench"},
                                headers={"X-Admin-Key": config.load().admin_api_key})[1])["token"]
        body = json.loads(REQUEST.read_text())
        durations, per_phase = [], {phase: [] for phase in PHASES}
        files = lines = 0
        for _ in range(RUNS):
            started = time.perf_counter()
            slug = json.loads(call(base, "POST", "/api/jobs", token, body)[1])["slug"]
            while True:
                job = json.loads(call(base, "GET", f"/api/jobs/{slug}", token)[1])
                if job["status"] in ("succeeded", "failed", "cancelled"):
                    break
                time.sleep(0.05)
            durations.append(time.perf_counter() - started)
            if job["status"] != "succeeded":
                raise SystemExit(f"bench job failed: {job['error']}")
            for row in json.loads(call(base, "GET", f"/api/jobs/{slug}/phases", token)[1]):
                if row["started_at"] and row["finished_at"]:
                    per_phase[row["phase"]].append((_parse(row["finished_at"]) - _parse(row["started_at"])).total_seconds())
            archive = zipfile.ZipFile(io.BytesIO(call(base, "GET", f"/api/jobs/{slug}/download", token)[1]))
            sources = [name for name in archive.namelist() if name.startswith("source/")]
            files = len(sources)
            lines = sum(archive.read(name).count(b"\n") for name in sources)
        print(f"job end to end (offline provider, {REQUEST.name}): median {statistics.median(durations):.2f} s "
              f"over {RUNS} runs (min {min(durations):.2f}, max {max(durations):.2f})")
        print(f"generated per job: {files} files, {lines} lines under source/")
        print("seconds per phase (median):")
        for phase in PHASES:
            samples = per_phase[phase]
            print(f"  {phase:<9} {statistics.median(samples):6.3f}" if samples else f"  {phase:<9}   skipped")
    finally:
        stack.stop()


def bench_cold_start() -> None:
    app_seconds = _import_seconds("import app")
    boto_seconds = _import_seconds("import boto3")
    print(f"cold import of app.py: {app_seconds * 1000:.0f} ms; import boto3: {boto_seconds * 1000:.0f} ms; "
          f"ratio {app_seconds / boto_seconds:.2f}")


def bench_package() -> None:
    from infra.package import package

    with tempfile.TemporaryDirectory() as folder:
        out = package(Path(folder) / "package")
        size = (out / "deployment.zip").stat().st_size
    print(f"Lambda deployment package: {size / 1_000_000:.1f} MB zipped")


if __name__ == "__main__":
    bench_cold_start()
    bench_jobs()
    bench_package()
