"""Auth endpoints: the admin bootstrap token and who-am-I."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import auth, config
from chalicelib.api.errors import ServiceUnavailable, Unauthorized
from chalicelib.api.routing import route
from chalicelib.domain.system import Me, TokenRequest, TokenResponse
from chalicelib.store import activity

blueprint = Blueprint(__name__)


@route(blueprint, "/api/auth/token", "POST", "Issue a token (header X-Admin-Key)", role=None,
       body=TokenRequest, response=TokenResponse, tag="auth")
def issue_token(_caller: None, request: TokenRequest) -> TokenResponse:
    if not config.load().admin_api_key:
        raise ServiceUnavailable("ADMIN_API_KEY is not configured on this deployment")
    given = blueprint.current_request.headers.get("x-admin-key")
    if not auth.admin_key_matches(given):
        reason = "X-Admin-Key header missing" if given is None else "X-Admin-Key is wrong"
        activity.record("_anonymous", "permission_denied", f"401 POST /api/auth/token: {reason}", level="warning",
                        details={"route": "POST /api/auth/token", "status": 401, "reason": reason})
        raise Unauthorized(reason)
    token = auth.issue_token(request.team_id, request.role)
    return TokenResponse(token=token, team_id=request.team_id, role=request.role,
                         expires_in=auth.TOKEN_LIFETIME_SECONDS)


@route(blueprint, "/api/auth/me", "GET", "The caller's team and role", response=Me, tag="auth")
def me(caller: auth.Principal) -> Me:
    return Me(team_id=caller.team_id, role=caller.role)
