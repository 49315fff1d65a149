"""The error contract: every error leaves as `{"detail": ...}`, never a trace or Chalice's own shape."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from chalice import Response
from chalice.app import Request

from chalicelib.api.errors import ApiError

logger = logging.getLogger(__name__)

_CHALICE_MESSAGES = {
    "MethodNotAllowedError": "method not allowed on this path",
    "UnsupportedMediaType": "unsupported media type; send application/json",
}


def _json(status: int, body: dict, headers: dict | None = None) -> Response:
    return Response(body=body, status_code=status, headers={**(headers or {}), "Content-Type": "application/json"})


def error_contract(request: Request, get_response: Callable[[Request], Response]) -> Response:
    """Rewrite raised ApiErrors and Chalice's `{"Code", "Message"}` bodies into `{"detail"}`."""
    try:
        response = get_response(request)
    except ApiError as error:
        return _json(error.status, {"detail": error.detail, **error.extra}, error.headers)
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return _json(500, {"detail": "internal server error"})
    if response.status_code < 400:
        return response
    body = response.body
    if isinstance(body, (str, bytes)):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    if isinstance(body, dict) and "Code" not in body:
        return response
    if isinstance(body, dict):
        code, message = body.get("Code"), str(body.get("Message", ""))
        detail = _CHALICE_MESSAGES.get(code, message) or "request failed"
        if code == "MethodNotAllowedError":
            detail = f"method {request.method} not allowed on {request.path}"
        if response.status_code >= 500:
            detail = "internal server error"
        headers = {key: value for key, value in response.headers.items() if key.lower() == "allow"}
        return _json(response.status_code, {"detail": detail}, headers)
    return _json(response.status_code, {"detail": "request failed"})
