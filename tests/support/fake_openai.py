"""A local HTTP server speaking the OpenAI API (models list, chat completions with usage), with scripted faults."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    """Answers `GET /v1/models` and `POST /v1/chat/completions` on 127.0.0.1 with a free port.

    Faults: `script` is a queue of per-request faults for chat (`("status", 429)`, `("slow", 3.0)`),
    `failing_models` makes a model always answer with a status, `models_delay` slows the models list,
    and a wrong bearer key is a 401. `responder`, when set, plays the model: given the chat request
    body it returns the assistant's content (instead of the fixed `answer`); an exception it raises is
    kept in `responder_errors` and answered with a 500.
    """

    def __init__(self, key: str = "sk-fake-test-key") -> None:
        self.key = key
        self.models = ["fallback-model", "gpt-4o", "gpt-4o-mini"]
        self.answer = "OK from the fake provider"
        self.responder: Callable[[dict], str] | None = None
        self.responder_errors: list[BaseException] = []
        self.usage = (1200, 345)
        self.script: deque[tuple[str, Any]] = deque()
        self.failing_models: dict[str, int] = {}
        self.models_delay = 0.0
        self.chat_requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def models_for(self, model: str) -> list[str]:
        """The models each chat request asked for, in order."""
        return [request["model"] for request in self.chat_requests if request["model"] == model]

    def _next_fault(self) -> tuple[str, Any] | None:
        with self._lock:
            return self.script.popleft() if self.script else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _error(self, status: int, message: str) -> None:
                self._send(status, {"error": {"message": message, "type": "fake_error", "code": status}},
                           {"Retry-After": "0"} if status == 429 or status >= 500 else None)

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {fake.key}":
                    self._error(401, "Incorrect API key provided")
                    return False
                return True

            def do_GET(self) -> None:
                if self.path.rstrip("/") != "/v1/models":
                    return self._error(404, f"no route {self.path}")
                if not self._authorized():
                    return None
                time.sleep(fake.models_delay)
                return self._send(200, {"object": "list", "data": [
                    {"id": model, "object": "model", "created": 0, "owned_by": "fake"} for model in fake.models]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._error(404, f"no route {self.path}")
                if not self._authorized():
                    return None
                model = body.get("model", "")
                with fake._lock:
                    fake.chat_requests.append(body)
                fault = fake._next_fault()
                if fault and fault[0] == "status":
                    return self._error(fault[1], f"scripted HTTP {fault[1]}")
                if fault and fault[0] == "slow":
                    time.sleep(fault[1])
                if model in fake.failing_models:
                    return self._error(fake.failing_models[model], f"model {model} is failing")
                content = fake.answer
                if fake.responder is not None:
                    try:
                        content = fake.responder(body)
                    except Exception as error:  # a bug in the test's script: make it visible
                        fake.responder_errors.append(error)
                        return self._error(500, f"responder failed: {error!r}")
                prompt_tokens, completion_tokens = fake.usage
                return self._send(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                              "total_tokens": prompt_tokens + completion_tokens},
                })

        return Handler


def make_active_provider(admin: Any, server: FakeOpenAI, name: str, key_env: str, monkeypatch: Any) -> None:
    """Register `server` as custom provider `name` (its key in env var `key_env`) and make it active."""
    monkeypatch.setenv(key_env, server.key)
    added = admin.post("/api/providers", {"name": name, "base_url": server.url, "api_key_env": key_env,
                                          "default_model": "gpt-4o-mini"})
    assert added.status == 201, added.body
    assert admin.post(f"/api/providers/{name}/use").json == {"active": name}
