"""Requests to OpenAI-compatible endpoints through the official `openai` client.

Our own retry loop (the client's is switched off) so the policy is explicit: 429, 5xx, timeouts and
dropped connections are retried with exponential backoff and jitter (honouring Retry-After);
anything else fails at once. Each failure is a ProviderFailure whose `kind` names the cause.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.llm.errors import ProviderFailure, UnsafeUrl
from chalicelib.llm.providers import Endpoint
from chalicelib.llm.url_safety import check_resolved

MODEL_LIST_TIMEOUT_SECONDS = 5.0
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
RETRY_AFTER_CAP_SECONDS = 30.0
PLACEHOLDER_KEY = "not-needed"


@dataclass(frozen=True)
class Completion:
    """A chat completion's text and the usage the provider reported."""

    text: str
    model: str
    tokens_in: int
    tokens_out: int
    usage_reported: bool
    attempts: int


def _client(endpoint: Endpoint, timeout: float) -> Any:
    """An `openai.OpenAI` for the endpoint, after the URL safety check (resolved addresses included)."""
    if endpoint.api_key_env and not endpoint.api_key:
        raise ProviderFailure("no_key", f"environment variable {endpoint.api_key_env} is not set")
    try:
        check_resolved(endpoint.base_url)
    except UnsafeUrl as error:
        raise ProviderFailure("unsafe_url", str(error)) from error
    except OSError as error:
        raise ProviderFailure("unreachable", f"cannot resolve the host of {endpoint.base_url}: {error}") from error
    from openai import OpenAI

    return OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key or PLACEHOLDER_KEY, timeout=timeout,
                  max_retries=0)


def _status_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)[:300]
    return str(getattr(error, "message", error))[:300]


def classify(error: Exception, endpoint: Endpoint, timeout: float) -> ProviderFailure:
    """The openai exception as a ProviderFailure naming the cause."""
    import openai

    where = f"provider {endpoint.name} ({endpoint.base_url})"
    if isinstance(error, openai.APITimeoutError):
        return ProviderFailure("timeout", f"no answer from {where} within {timeout:g} s")
    if isinstance(error, openai.APIConnectionError):
        return ProviderFailure("unreachable", f"cannot connect to {where}")
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        kind = {401: "unauthorized", 403: "forbidden", 429: "rate_limited"}.get(status)
        kind = kind or ("server_error" if status >= 500 else "http_error")
        return ProviderFailure(kind, f"HTTP {status} from {where}: {_status_message(error)}")
    return ProviderFailure("bad_response", f"unusable answer from {where}: {error}")


def _backoff(attempt: int, error: Exception) -> float:
    """Seconds before the next try: the provider's Retry-After when given, else exponential with jitter."""
    response = getattr(error, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    if header is not None:
        try:
            return min(max(float(header), 0.0), RETRY_AFTER_CAP_SECONDS)
        except ValueError:
            pass
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt) * random.uniform(0.5, 1.0)


def list_models(endpoint: Endpoint, timeout: float = MODEL_LIST_TIMEOUT_SECONDS) -> list[str]:
    """The model ids of the endpoint's `GET /models`, sorted; one try, short timeout."""
    import openai

    client = _client(endpoint, timeout)
    try:
        return sorted(str(model.id) for model in client.models.list())
    except openai.OpenAIError as error:
        raise classify(error, endpoint, timeout) from error


def complete(
    endpoint: Endpoint,
    model: str,
    system: str,
    prompt: str,
    *,
    timeout: float,
    max_retries: int,
    max_tokens: int,
    estimate: Callable[[str], int],
) -> Completion:
    """One chat completion, retried on transient failures; ProviderFailure once they are spent."""
    import openai

    client = _client(endpoint, timeout)
    messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
    attempt = 0
    while True:
        try:
            response = client.chat.completions.create(model=model, messages=messages, max_tokens=max_tokens)
            choice = response.choices[0]
            break
        except (openai.OpenAIError, IndexError, TypeError, AttributeError) as error:
            failure = classify(error, endpoint, timeout)
            if not failure.retryable or attempt >= max_retries:
                suffix = f" (after {attempt + 1} attempts)" if attempt else ""
                raise ProviderFailure(failure.kind, failure.detail + suffix) from error
            time.sleep(_backoff(attempt, error))
            attempt += 1
    text = choice.message.content or ""
    usage = response.usage
    answered_by = response.model or model
    if usage is not None and usage.prompt_tokens is not None and usage.completion_tokens is not None:
        return Completion(text, answered_by, int(usage.prompt_tokens), int(usage.completion_tokens), True, attempt + 1)
    return Completion(text, answered_by, estimate(system + prompt), estimate(text), False, attempt + 1)
