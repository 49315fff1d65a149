"""`make run`: the embedded stack and the API on :8000 until Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import threading

from chalicelib import config


def main() -> int:
    from infra.emulator import PortInUse
    from infra.stack import start_stack

    api_port = int(os.environ.get("PORT", "8000"))
    emulator_port = int(os.environ.get("EMULATOR_PORT", "4566"))
    try:
        settings = config.load()
        stack = start_stack(api_port, emulator_port, api_host=os.environ.get("HOST", "127.0.0.1"))
    except (PortInUse, config.ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    local = settings.stage == config.LOCAL_STAGE
    key_hint = "the local stage's admin key" if local else "your ADMIN_API_KEY"
    key_shown = settings.admin_api_key if local else "$ADMIN_API_KEY"
    base = f"http://localhost:{api_port}"
    print(f"""
Unified AI Software Factory, stage {settings.stage}
  API        {base}   (docs: {base}/docs)
  emulator   {stack.emulator.endpoint}   (in memory: a restart forgets every job)

Get a token with {key_hint} and start a job:
  TOKEN=$(curl -s -X POST {base}/api/auth/token -H "X-Admin-Key: {key_shown}" \\
      -H 'Content-Type: application/json' -d '{{"team_id": "default", "role": "admin"}}' \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  curl -s -X POST {base}/api/jobs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
      -d @../shared/examples/requests/pantry-saver.json

Ctrl-C stops everything.
""", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    print("stopping...", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
