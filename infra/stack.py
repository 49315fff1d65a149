"""The whole embedded stack in one process: emulator, poller, API. Used by `make run`, the demo and tests."""

from __future__ import annotations

import os
from dataclasses import dataclass

from infra.emulator import Emulator, ensure_port_free
from infra.local_api import LocalApi


@dataclass
class Stack:
    emulator: Emulator
    api: LocalApi

    @property
    def api_url(self) -> str:
        return self.api.url

    def stop(self) -> None:
        self.api.stop()
        self.emulator.stop()


def start_stack(api_port: int, emulator_port: int, api_host: str = "127.0.0.1") -> Stack:
    """Start the emulator (resources created) and the API; raises PortInUse with a one-line reason."""
    os.environ.setdefault("STAGE", "local")
    ensure_port_free(api_host, api_port, "API")
    emulator = Emulator(emulator_port)
    emulator.start()
    api = LocalApi(api_host, api_port)
    api.start()
    return Stack(emulator, api)
