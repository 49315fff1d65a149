"""The provider registry: built-in endpoints, custom ones from the config table, and the active one.

Read on every call (a couple of GetItems), so a change made through the API is effective for the
next LLM call everywhere without a restart. Keys are read from the environment variable a
provider names; they are never stored or returned.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from chalicelib.domain.providers import Provider, ProviderCreate, ProviderList, ProviderPatch, ProviderUpsert
from chalicelib.llm.errors import UnknownProvider
from chalicelib.store import providers as stored
from chalicelib.store.errors import Conflict

OFFLINE = "offline"
OFFLINE_MODEL = "offline-deterministic"


@dataclass(frozen=True)
class Builtin:
    """A provider the platform knows; `pricing_id` is its id in genai-prices (None: match by model)."""

    name: str
    base_url: str
    api_key_env: str
    default_model: str
    pricing_id: str | None


BUILTINS: dict[str, Builtin] = {
    provider.name: provider
    for provider in (
        Builtin(OFFLINE, "", "", OFFLINE_MODEL, None),
        Builtin("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4o-mini", "openai"),
        Builtin("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", "anthropic/claude-3.5-sonnet",
                "openrouter"),
        Builtin("anthropic", "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY", "claude-3-5-sonnet-latest",
                "anthropic"),
        Builtin("gemini", "https://generativelanguage.googleapis.com/v1beta/openai", "GEMINI_API_KEY",
                "gemini-2.0-flash", "google"),
        Builtin("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", "llama-3.3-70b-versatile", "groq"),
        Builtin("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "deepseek-chat", "deepseek"),
        Builtin("ollama", "http://localhost:11434/v1", "", "llama3.1", None),
        Builtin("lmstudio", "http://localhost:1234/v1", "", "local-model", None),
        Builtin("vllm", "http://localhost:8000/v1", "", "default", None),
    )
}
EDITABLE = ("base_url", "api_key_env", "default_model", "enabled")


@dataclass(frozen=True)
class Endpoint:
    """What a request to a provider needs: where, with which key, and how to price it."""

    name: str
    base_url: str
    api_key_env: str
    api_key: str | None
    default_model: str
    pricing_id: str | None

    @property
    def offline(self) -> bool:
        return self.name == OFFLINE


def _provider(name: str, fields: dict, active: str) -> Provider:
    builtin = BUILTINS.get(name)
    merged = {"base_url": "", "api_key_env": "", "enabled": True}
    if builtin:
        merged.update(base_url=builtin.base_url, api_key_env=builtin.api_key_env, default_model=builtin.default_model)
    merged.update({key: value for key, value in fields.items() if key in EDITABLE and value is not None})
    key_env = str(merged["api_key_env"])
    return Provider(name=name, builtin=builtin is not None, active=name == active,
                    api_key_set=bool(key_env and os.environ.get(key_env)), **merged)


def list_all() -> ProviderList:
    """Every provider, built-in and custom, keyed and sorted by name."""
    active = stored.active_name(OFFLINE)
    found = stored.all_stored()
    names = sorted(set(BUILTINS) | set(found))
    return ProviderList(active=active, providers={name: _provider(name, found.get(name, {}), active) for name in names})


def get(name: str) -> Provider:
    """One provider; UnknownProvider when neither built-in nor stored."""
    fields = stored.get(name)
    if fields is None and name not in BUILTINS:
        raise UnknownProvider(f"provider {name!r} not found")
    return _provider(name, fields or {}, stored.active_name(OFFLINE))


def active() -> Provider:
    """The provider every LLM call uses now (the offline one until another is chosen)."""
    return get(stored.active_name(OFFLINE))


def endpoint(provider: Provider, api_key: str | None = None, base_url: str | None = None) -> Endpoint:
    """The provider as a request target; `api_key`/`base_url` override the configured ones (admin only)."""
    builtin = BUILTINS.get(provider.name)
    key = api_key or (os.environ.get(provider.api_key_env) if provider.api_key_env else None)
    key_env = "" if api_key else provider.api_key_env
    return Endpoint(provider.name, base_url or provider.base_url, key_env, key, provider.default_model,
                    builtin.pricing_id if builtin else None)


def _changes(body: ProviderPatch) -> dict:
    return {key: value for key, value in body.model_dump(include=set(EDITABLE)).items() if value is not None}


def _check_offline(name: str, changes: dict) -> None:
    if name == OFFLINE and set(changes) - {"enabled"}:
        raise ValueError("the offline provider has no URL, key or model to change; only enabled")


def _check_not_disabling_active(name: str, changes: dict) -> None:
    if changes.get("enabled") is False and stored.active_name(OFFLINE) == name:
        raise ValueError(f"enabled: provider {name!r} is active; make another provider active first")


def create(body: ProviderCreate) -> Provider:
    """Add a custom provider; Conflict when the name is taken (built-in names included)."""
    if body.name in BUILTINS:
        raise Conflict(f"provider {body.name!r} already exists (built-in)")
    fields = {"enabled": True, "api_key_env": "", **_changes(body)}
    stored.put(body.name, fields, must_be_new=True)
    return get(body.name)


def upsert(name: str, body: ProviderUpsert) -> tuple[Provider, bool]:
    """Add or update a provider named in the URL; returns it and whether it was created."""
    if body.name is not None and body.name != name:
        raise ValueError(f"name: {body.name!r} does not match the URL's {name!r}")
    changes = _changes(body)
    _check_offline(name, changes)
    _check_not_disabling_active(name, changes)
    current = stored.get(name)
    created = current is None and name not in BUILTINS
    if created:
        for required in ("base_url", "default_model"):
            if required not in changes:
                raise ValueError(f"{required}: required for a new provider")
    stored.put(name, {**(current or {}), **changes})
    return get(name), created


def patch(name: str, body: ProviderPatch) -> Provider:
    """Change some fields of an existing provider."""
    current = stored.get(name)
    if current is None and name not in BUILTINS:
        raise UnknownProvider(f"provider {name!r} not found")
    changes = _changes(body)
    if not changes:
        raise ValueError("body: give at least one of " + ", ".join(EDITABLE))
    _check_offline(name, changes)
    _check_not_disabling_active(name, changes)
    stored.put(name, {**(current or {}), **changes})
    return get(name)


def remove(name: str) -> None:
    """Delete a custom provider; ValueError for built-ins, UnknownProvider when missing."""
    if name in BUILTINS:
        raise ValueError(f"provider {name!r} is built-in and cannot be removed (disable it instead)")
    if stored.get(name) is None:
        raise UnknownProvider(f"provider {name!r} not found")
    if stored.active_name(OFFLINE) == name:
        raise ValueError(f"provider {name!r} is active; make another provider active first")
    stored.delete(name)


def use(name: str) -> None:
    """Make a provider the active one; ValueError when it is disabled."""
    provider = get(name)
    if not provider.enabled:
        raise ValueError(f"provider {name!r} is disabled; enable it first")
    stored.set_active(name)
