"""JWT bearer tokens and roles. HS256 only; `exp` required; `alg: none` and tampering refused."""

from __future__ import annotations

import hmac
import re
import time
from dataclasses import dataclass

from chalicelib import config

ROLES = ("viewer", "member", "admin")
TOKEN_LIFETIME_SECONDS = 86400
TEAM_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class AuthError(Exception):
    """401: the request carries no valid token."""


class ForbiddenError(Exception):
    """403: the token is valid but its role is too low."""


@dataclass(frozen=True)
class Principal:
    team_id: str
    role: str

    def has(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def admin_key_matches(given: str | None) -> bool:
    """Constant-time comparison with the configured ADMIN_API_KEY."""
    expected = config.load().admin_api_key
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def issue_token(team_id: str, role: str) -> str:
    import jwt

    now = int(time.time())
    claims = {"team_id": team_id, "role": role, "iat": now, "exp": now + TOKEN_LIFETIME_SECONDS}
    return jwt.encode(claims, config.load().jwt_secret, algorithm="HS256")


def principal_from_header(authorization: str | None) -> Principal:
    """The token's team and role; AuthError naming why it is refused."""
    import jwt

    if not authorization:
        raise AuthError("missing bearer token")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    try:
        claims = jwt.decode(
            token.strip(),
            config.load().jwt_secret,
            algorithms=["HS256"],
            options={"require": ["exp", "iat"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise AuthError("token expired") from error
    except jwt.InvalidTokenError as error:
        raise AuthError(f"invalid token: {error}") from error
    team_id, role = claims.get("team_id"), claims.get("role")
    if not isinstance(team_id, str) or not TEAM_PATTERN.fullmatch(team_id):
        raise AuthError("invalid token: team_id claim missing or malformed")
    if role not in ROLES:
        raise AuthError("invalid token: role claim missing or unknown")
    return Principal(team_id=team_id, role=role)
