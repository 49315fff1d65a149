"""`make bench`: figures, not thresholds. Job time end to end, cold import cost, package size,
generated files and lines, seconds per phase, and the cost of reading cost figures as calls grow."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
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
READ_SAMPLES = 21


def quiet_app_log() -> None:
    """The app's per-message info lines would interleave with the figures."""
    logging.getLogger("ai-software-factory").setLevel(logging.WARNING)


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
    quiet_app_log()
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


class DynamoReads:
    """Counts DynamoDB items read (GetItem hits, Query/Scan ScannedCount) by the app's shared resource."""

    def __init__(self) -> None:
        from chalicelib import config
        from chalicelib.store import items

        settings = config.load()
        self.count = 0
        items._resource(settings.region, settings.endpoint_url).meta.client.meta.events.register(
            "after-call.dynamodb", self._after_call)

    def _after_call(self, parsed: dict, **_: object) -> None:
        if "Item" in parsed:
            self.count += 1
        elif "ScannedCount" in parsed:
            self.count += int(parsed["ScannedCount"])
        elif "Responses" in parsed:
            self.count += sum(len(found) for found in parsed["Responses"].values())


def _record_calls(team: str, start: int, stop: int) -> None:
    """Write cost rows (and their counters) straight through the store, each in its own transaction."""
    from decimal import Decimal

    from chalicelib.store import costs

    for number in range(start, stop):
        costs.record(costs.CostRow(team, f"job-{number % 50}", "dev", f"agent-{number % 11}", "code", "bench",
                                   "gpt-4o-mini", 1000, 200, Decimal("0.000270"), False, 10))


def bench_cost_reads() -> None:
    """Time and DynamoDB items read per request of /api/costs/summary and /api/kpis at 100 and 10,000 calls."""
    from chalicelib import config
    from infra.demo import call
    from infra.emulator import free_port
    from infra.stack import start_stack

    stack = start_stack(free_port(), free_port())
    quiet_app_log()
    try:
        base, team = stack.api_url, "bench-costs"
        token = json.loads(call(base, "POST", "/api/auth/token", body={"team_id": team},
                                headers={"X-Admin-Key": config.load().admin_api_key})[1])["token"]
        reads = DynamoReads()
        figures: dict[tuple[str, int], tuple[float, float]] = {}
        written = 0
        for calls in (100, 10_000):
            print(f"  writing cost rows {written + 1}-{calls} ...", flush=True)
            _record_calls(team, written, calls)
            written = calls
            for path in ("/api/costs/summary", "/api/kpis"):
                call(base, "GET", path, token)
                seconds, items_read = [], []
                for _ in range(READ_SAMPLES):
                    before, started = reads.count, time.perf_counter()
                    call(base, "GET", path, token)
                    seconds.append(time.perf_counter() - started)
                    items_read.append(reads.count - before)
                figures[(path, calls)] = (statistics.median(seconds), statistics.median(items_read))
        summary = json.loads(call(base, "GET", "/api/costs/summary", token)[1])
        if summary["total_calls"] != written:
            raise SystemExit(f"bench cost figures are wrong: {summary['total_calls']} calls, expected {written}")
        for path in ("/api/costs/summary", "/api/kpis"):
            (small_s, small_n), (large_s, large_n) = figures[(path, 100)], figures[(path, 10_000)]
            print(f"{path}: 100 calls {small_s * 1000:.1f} ms, {small_n:.0f} items read; "
                  f"10,000 calls {large_s * 1000:.1f} ms, {large_n:.0f} items read; "
                  f"ratio time {large_s / small_s:.2f}, items {large_n / max(small_n, 1):.2f}")
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
    bench_cost_reads()
    bench_package()
