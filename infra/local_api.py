"""Chalice's local HTTP server, with API Gateway's unknown-route answer translated to the error contract."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from chalice.local import ChaliceRequestHandler, LocalDevServer, LocalGatewayException

PROJECT_DIR = Path(__file__).resolve().parent.parent


class ContractRequestHandler(ChaliceRequestHandler):
    """API Gateway answers an unknown route `403 Missing Authentication Token`; we answer 404 `{"detail"}`."""

    def _send_error_response(self, error: LocalGatewayException) -> None:
        path = self.path.split("?", 1)[0]
        body = json.dumps({"detail": f"no route {self.command} {path}"}).encode()
        self._send_http_response(404, {"Content-Type": "application/json"}, body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The server's own errors (an unknown HTTP method, a malformed request line) as `{"detail"}` too."""
        status = 405 if code == 501 else code
        detail = f"method {self.command} not allowed" if code == 501 else (message or "bad request")
        body = json.dumps({"detail": detail}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("API_ACCESS_LOG") == "1":
            super().log_message(format, *args)


class LocalApi:
    """The Chalice app served on host:port in a background thread."""

    def __init__(self, host: str, port: int, stage: str = "local") -> None:
        from chalice.cli.factory import CLIFactory
        from chalice.local import CustomLocalChalice, LocalChalice

        import app as chalice_app

        factory = CLIFactory(str(PROJECT_DIR), environ=os.environ)
        config = factory.create_config_obj(chalice_stage_name=stage)
        app_obj = chalice_app.app
        if not isinstance(app_obj, LocalChalice):
            CustomLocalChalice.__bases__ = (LocalChalice, app_obj.__class__)
            app_obj.__class__ = CustomLocalChalice
        self.server = LocalDevServer(app_obj, config, host, port, handler_cls=ContractRequestHandler)
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self.server.server.serve_forever, name="local-api", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server.server_close()
