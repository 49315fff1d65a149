"""Errors of the LLM layer. Those a phase may meet are PhaseErrors: the job fails with their message."""

from __future__ import annotations

from chalicelib.agents.errors import PhaseError


class UnsafeUrl(ValueError):
    """A provider URL uses a scheme other than http(s) or points at link-local / metadata addresses."""


class ProviderFailure(Exception):
    """One provider request failed; `kind` names why (unreachable, unauthorized, timeout, ...)."""

    RETRYABLE = frozenset({"unreachable", "timeout", "rate_limited", "server_error"})
    NO_FALLBACK = frozenset({"unauthorized", "forbidden", "unsafe_url", "no_key"})

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.detail = message

    @property
    def retryable(self) -> bool:
        """429, 5xx, timeouts and dropped connections are worth another try."""
        return self.kind in self.RETRYABLE

    @property
    def fallback_allowed(self) -> bool:
        """Another model cannot fix a key or URL problem."""
        return self.kind not in self.NO_FALLBACK


class LLMCallFailed(PhaseError):
    """The agent's model (and the fallback model) could not answer after the retries."""


class AgentDisabled(PhaseError):
    """The phase's agent is switched off (`status: disabled`)."""


class UnknownProvider(LookupError):
    """No built-in or custom provider has this name."""
