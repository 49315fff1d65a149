"""What a phase handler receives and returns: the seam between the pipeline and agents/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from chalicelib.domain.spec import JobSpec

Severity = Literal["info", "warning", "error", "high"]


class Workspace(Protocol):
    """A job's files, addressed by paths relative to the job root (`docs/...`, `source/...`)."""

    def read(self, path: str) -> str | None:
        """The text of a file, or None when it does not exist."""

    def read_bytes(self, path: str) -> bytes | None:
        """The bytes of a file, or None when it does not exist."""

    def write(self, path: str, content: str | bytes) -> None:
        """Create or replace a file."""

    def delete(self, path: str) -> None:
        """Remove a file; missing files are ignored."""

    def list(self, prefix: str = "") -> list[str]:
        """Every file path under `prefix`, sorted."""

    def put_export(self, data: bytes) -> str:
        """Store the job's ZIP and return its storage key."""


class LLM(Protocol):
    """The phase's agent, bound to its model, provider, system prompt and cost accounting."""

    def ask(self, task: str, prompt: str, offline: Callable[[], str]) -> str:
        """Ask the agent's model. `offline` computes the answer the built-in offline provider gives."""


@dataclass
class Finding:
    """One structured QA/security/runtime result."""

    rule: str
    message: str
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class PhaseContext:
    """Everything a phase may use; handlers touch storage only through `workspace`."""

    job: JobSpec
    phase: str
    agent_id: str
    attempt: int
    workspace: Workspace
    llm: LLM
    settings: dict[str, str]
    log: Callable[[str, str], None]
    # Feature text -> kind, approved by the team in earlier jobs: the offline analyst keeps them.
    feature_mappings: dict[str, str] = field(default_factory=dict)


@dataclass
class PhaseOutcome:
    """A phase's result. `data` stays small: it travels in the Step Functions state."""

    status: Literal["passed", "failed", "skipped"] = "passed"
    summary: str = ""
    outputs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    data: dict = field(default_factory=dict)
