"""HTTP errors. Subclasses of ChaliceUnhandledError so they reach the error middleware."""

from __future__ import annotations

from chalice import ChaliceUnhandledError


class ApiError(ChaliceUnhandledError):
    """An error answered as `{"detail": ...}` with its status code."""

    status = 500

    def __init__(self, detail: str, status: int | None = None, headers: dict | None = None, extra: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        self.headers = headers or {}
        self.extra = extra or {}


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFoundError(ApiError):
    status = 404


class ConflictError(ApiError):
    status = 409


class PayloadTooLarge(ApiError):
    status = 413


class ServiceUnavailable(ApiError):
    status = 503
