"""Provider endpoints (platform-wide): the registry, custom providers, the active one, model lists."""

from __future__ import annotations

import re
import time

from chalice import Blueprint, Response

from chalicelib.api.errors import ApiError, BadRequest, ConflictError, Forbidden, NotFoundError
from chalicelib.api.routing import query_params, route
from chalicelib.auth import Principal
from chalicelib.domain.providers import (
    PROVIDER_NAME,
    ActiveProvider,
    ModelList,
    Provider,
    ProviderCreate,
    ProviderList,
    ProviderPatch,
    ProviderRemoved,
    ProviderTest,
    ProviderUpsert,
)
from chalicelib.llm import providers
from chalicelib.llm.errors import ProviderFailure, UnknownProvider, UnsafeUrl
from chalicelib.llm.url_safety import check_syntax
from chalicelib.store import activity, settings
from chalicelib.store.errors import Conflict

blueprint = Blueprint(__name__)


def _provider(name: str) -> Provider:
    try:
        return providers.get(name)
    except UnknownProvider as error:
        raise NotFoundError(str(error)) from error


def _logged(caller: Principal, kind: str, message: str, name: str) -> None:
    activity.record(caller.team_id, kind, message, details={"provider": name, "role": caller.role})


def _probe_timeout() -> float:
    """Model lists answer in seconds or count as a timeout: at most 5 s, less if llm_timeout_seconds is lower."""
    from chalicelib.llm.client import MODEL_LIST_TIMEOUT_SECONDS

    return min(MODEL_LIST_TIMEOUT_SECONDS, float(settings.get_all()["llm_timeout_seconds"]))


def _model_ids(provider: Provider, api_key: str | None = None, base_url: str | None = None) -> list[str]:
    """The provider's model list for real (the offline provider knows its one model); ProviderFailure otherwise."""
    if provider.name == providers.OFFLINE:
        return [providers.OFFLINE_MODEL]
    from chalicelib.llm import client

    return client.list_models(providers.endpoint(provider, api_key, base_url), _probe_timeout())


@route(blueprint, "/api/providers", "GET", "Every provider, keyed and sorted by name, and the active one",
       response=ProviderList, tag="providers")
def list_providers(_caller: Principal) -> ProviderList:
    return providers.list_all()


@route(blueprint, "/api/providers", "POST", "Add a custom provider", role="admin", body=ProviderCreate,
       response=Provider, status=201, tag="providers")
def add_provider(caller: Principal, body: ProviderCreate) -> Provider:
    try:
        created = providers.create(body)
    except Conflict as error:
        raise ConflictError(str(error)) from error
    _logged(caller, "provider_added", f"provider {body.name} added ({created.base_url})", body.name)
    return created


@route(blueprint, "/api/providers/{name}", "POST", "Add or update a provider named in the URL", role="admin",
       body=ProviderUpsert, response=Provider, tag="providers")
def upsert_provider(caller: Principal, body: ProviderUpsert, name: str) -> Response:
    if not re.fullmatch(PROVIDER_NAME, name):
        raise BadRequest("name: must be 1-40 characters of a-z, 0-9, '_' and '-', starting with a letter or digit")
    try:
        provider, created = providers.upsert(name, body)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    _logged(caller, "provider_added" if created else "provider_changed",
            f"provider {name} {'added' if created else 'updated'}", name)
    return Response(body=provider.model_dump(mode="json"), status_code=201 if created else 200,
                    headers={"Content-Type": "application/json"})


@route(blueprint, "/api/providers/{name}", "PATCH", "Change some fields of a provider", role="admin",
       body=ProviderPatch, response=Provider, tag="providers")
def patch_provider(caller: Principal, body: ProviderPatch, name: str) -> Provider:
    try:
        provider = providers.patch(name, body)
    except UnknownProvider as error:
        raise NotFoundError(str(error)) from error
    except ValueError as error:
        raise BadRequest(str(error)) from error
    _logged(caller, "provider_changed", f"provider {name} changed: {', '.join(sorted(body.model_dump(exclude_none=True)))}",
            name)
    return provider


@route(blueprint, "/api/providers/{name}", "DELETE", "Remove a custom provider", role="admin",
       response=ProviderRemoved, tag="providers")
def remove_provider(caller: Principal, name: str) -> ProviderRemoved:
    try:
        providers.remove(name)
    except UnknownProvider as error:
        raise NotFoundError(str(error)) from error
    except ValueError as error:
        raise BadRequest(str(error)) from error
    _logged(caller, "provider_removed", f"provider {name} removed", name)
    return ProviderRemoved(removed=name)


@route(blueprint, "/api/providers/{name}/use", "POST", "Make a provider the active one (next LLM call on)",
       role="admin", response=ActiveProvider, tag="providers")
def use_provider(caller: Principal, name: str) -> ActiveProvider:
    _provider(name)
    try:
        providers.use(name)
    except ValueError as error:
        raise BadRequest(str(error)) from error
    _logged(caller, "provider_activated", f"provider {name} is now the active LLM provider", name)
    return ActiveProvider(active=name)


@route(blueprint, "/api/providers/{name}/test", "POST", "Probe a provider's model list", response=ProviderTest,
       tag="providers")
def test_provider(_caller: Principal, name: str) -> ProviderTest:
    provider = _provider(name)
    started = time.perf_counter()
    try:
        count = len(_model_ids(provider))
    except ProviderFailure as failure:
        return ProviderTest(provider=name, status="error", error=str(failure),
                            latency_ms=int((time.perf_counter() - started) * 1000))
    return ProviderTest(provider=name, status="ok", models_count=count,
                        latency_ms=int((time.perf_counter() - started) * 1000))


@route(blueprint, "/api/models", "GET", "Model ids from a provider's model list (the active one by default)",
       response=ModelList, tag="providers",
       query={"provider": "a provider name", "key": "an API key to try (admin only)",
              "base_url": "a base URL to try (admin only)"})
def list_models(caller: Principal) -> ModelList:
    request = blueprint.current_request
    params = query_params(request)
    key, base_url = params.get("key") or None, params.get("base_url") or None
    if (key or base_url) and not caller.has("admin"):
        reason = "only an admin may pass key or base_url"
        route_name = f"{request.method} /api/models"
        activity.record(caller.team_id, "permission_denied", f"403 {route_name}: {reason}", level="warning",
                        details={"route": route_name, "status": 403, "reason": reason, "role": caller.role})
        raise Forbidden(reason)
    if base_url:
        try:
            check_syntax(base_url)
        except UnsafeUrl as error:
            raise BadRequest(f"base_url: {error}") from error
    provider = _provider(params["provider"]) if params.get("provider") else providers.active()
    try:
        models = _model_ids(provider, key, base_url)
    except ProviderFailure as failure:
        raise ApiError(f"could not list the models of {provider.name}: {failure}", status=502,
                       extra={"provider": provider.name, "status": "error", "error": str(failure)}) from failure
    return ModelList(provider=provider.name, models=models)
