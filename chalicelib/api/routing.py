"""Declaring a route once: Chalice route, auth role, body model and OpenAPI entry together.

A view receives the caller (`Principal` or None) and, when declared, the parsed body model;
it returns a pydantic model, a list of them, a dict, or a chalice Response.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel

from chalicelib import auth
from chalicelib.api.errors import BadRequest, Forbidden, NotFoundError, PayloadTooLarge, Unauthorized
from chalicelib.domain.parsing import InvalidDocument, parse_json_object

MAX_BODY_BYTES = 1_000_000
# Every identifier in a path (slugs, item ids, agent and provider names, asset names) fits this;
# anything else cannot name an item, so it is a 404 before any table is read.
PATH_PARAMETER = re.compile(r"[A-Za-z0-9._-]{1,128}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,12}")


@dataclass
class RouteDoc:
    """What /openapi.json says about one route."""

    method: str
    path: str
    summary: str
    role: str | None
    body: type[BaseModel] | None
    response: Any
    status: int
    tag: str
    query: dict[str, str] = field(default_factory=dict)


ROUTE_DOCS: list[RouteDoc] = []


def parse_body(request: Any, model: type[BaseModel]) -> BaseModel:
    """Validate the raw body against `model`: 400 for invalid JSON or fields, 413 when too large."""
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        return parse_json_object(raw if raw.strip() else b"{}", model)
    except InvalidDocument as error:
        raise BadRequest(str(error)) from error


def authenticate(request: Any, role: str) -> auth.Principal:
    """The caller of a protected route; 401/403 recorded as permission_denied activity."""
    from chalicelib.store import activity

    route = f"{request.method} {request.context.get('resourcePath', request.path)}"
    try:
        principal = auth.principal_from_header(request.headers.get("authorization"))
    except auth.AuthError as error:
        activity.record("_anonymous", "permission_denied", f"401 {route}: {error}", level="warning",
                        details={"route": route, "status": 401, "reason": str(error)})
        raise Unauthorized(str(error), headers={"WWW-Authenticate": "Bearer"}) from error
    if not principal.has(role):
        reason = f"role {principal.role!r} may not do this; {role!r} required"
        activity.record(principal.team_id, "permission_denied", f"403 {route}: {reason}", level="warning",
                        details={"route": route, "status": 403, "reason": reason, "role": principal.role})
        raise Forbidden(reason)
    return principal


def shape(result: Any, status: int) -> Response:
    """A view's return value as a JSON Response."""
    if isinstance(result, Response):
        return result
    if isinstance(result, BaseModel):
        body = result.model_dump(mode="json")
    elif isinstance(result, list):
        body = [item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in result]
    else:
        body = result
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


def route(
    blueprint: Blueprint,
    path: str,
    method: str,
    summary: str,
    *,
    role: str | None = "viewer",
    body: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    tag: str = "default",
    query: dict[str, str] | None = None,
) -> Callable:
    """Register a view on `blueprint` with auth, body parsing and its OpenAPI entry."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def handler(**path_params: str) -> Response:
            request = blueprint.current_request
            for name, value in path_params.items():
                if not PATH_PARAMETER.fullmatch(value):
                    raise NotFoundError(f"no {name.replace('_', ' ')} {value[:80]!r}")
            principal = authenticate(request, role) if role else None
            args: list[Any] = [principal]
            if body is not None:
                args.append(parse_body(request, body))
            return shape(view(*args, **path_params), status)

        blueprint.route(path, methods=[method])(handler)
        ROUTE_DOCS.append(RouteDoc(method, path, summary, role, body, response, status, tag, query or {}))
        return handler

    return decorator


def query_params(request: Any) -> dict[str, str]:
    """The query string as a dict (Chalice gives None when there is none)."""
    return dict(request.query_params or {})


def query_int(request: Any, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; 400 naming it otherwise."""
    raw = query_params(request).get(name)
    if raw is None or raw == "":
        return default
    if not WHOLE_NUMBER.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadRequest(f"{name}: must be a whole number from {low} to {high}")
    return int(raw)


def query_bool(request: Any, name: str, default: bool = False) -> bool:
    raw = query_params(request).get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise BadRequest(f"{name}: must be true or false")
