"""One embedded stack (emulator, poller, API) per test session, on free ports; state reset per test."""

from __future__ import annotations

import os

import pytest

from tests.support.http import ApiClient

ADMIN_KEY = "test-admin-key"


@pytest.fixture(scope="session")
def stack():
    from infra.emulator import free_port
    from infra.stack import start_stack

    os.environ.update(STAGE="local", ADMIN_API_KEY=ADMIN_KEY, AWS_DEFAULT_REGION="us-east-1")
    os.environ.pop("JWT_SECRET", None)
    running = start_stack(free_port(), free_port())
    yield running
    running.stop()


@pytest.fixture
def fresh(stack):
    """A clean emulator: no jobs, no records, the app's resources created anew."""
    stack.emulator.reset()
    return stack


def token_for(stack, team_id: str = "default", role: str = "admin") -> str:
    reply = ApiClient(stack.api_url).post("/api/auth/token", {"team_id": team_id, "role": role},
                                          headers={"X-Admin-Key": ADMIN_KEY})
    assert reply.status == 200, reply.body
    return reply.json["token"]


@pytest.fixture
def anonymous(fresh) -> ApiClient:
    return ApiClient(fresh.api_url)


@pytest.fixture
def admin(fresh) -> ApiClient:
    return ApiClient(fresh.api_url, token_for(fresh, "team-a", "admin"))


@pytest.fixture
def member(fresh) -> ApiClient:
    return ApiClient(fresh.api_url, token_for(fresh, "team-a", "member"))


@pytest.fixture
def viewer(fresh) -> ApiClient:
    return ApiClient(fresh.api_url, token_for(fresh, "team-a", "viewer"))


@pytest.fixture
def other_team(fresh) -> ApiClient:
    return ApiClient(fresh.api_url, token_for(fresh, "team-b", "admin"))
