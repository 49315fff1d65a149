"""An in-memory Workspace and LLM doubles for agent tests."""

from __future__ import annotations

from collections.abc import Callable


class MemoryWorkspace:
    """Files in a dict, with the Workspace protocol's methods."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def read(self, path: str) -> str | None:
        data = self.files.get(path)
        return None if data is None else data.decode()

    def read_bytes(self, path: str) -> bytes | None:
        return self.files.get(path)

    def write(self, path: str, content: str | bytes) -> None:
        self.files[path] = content.encode() if isinstance(content, str) else content

    def delete(self, path: str) -> None:
        self.files.pop(path, None)

    def list(self, prefix: str = "") -> list[str]:
        return sorted(p for p in self.files if p.startswith(prefix))

    def put_export(self, data: bytes) -> str:
        self.files["exports/export.zip"] = data
        return "exports/export.zip"


class OfflineLLM:
    """Answers like the built-in offline provider and records the prompts."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def ask(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        self.calls.append((task, prompt))
        return offline()


class ScriptedLLM:
    """Answers from a script, one answer per call; a callable entry wraps the offline answer."""

    def __init__(self, answers: list) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, str]] = []

    def ask(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        self.calls.append((task, prompt))
        answer = self.answers.pop(0)
        return answer(offline()) if callable(answer) else answer
