"""Hostile and careless clients: malformed input, tampered cursors, forged claims, races."""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest

from tests.support.http import ApiClient


def small_job(**overrides) -> dict:
    return {"name": "Pantry Saver", "description": "Track food expiry dates.", **overrides}


def in_parallel(*calls):
    """Run the calls at once; their replies in call order."""
    replies: list = [None] * len(calls)

    def run(index: int) -> None:
        replies[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def cursor_of(key: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# --- bodies -------------------------------------------------------------------------------------


def test_a_deeply_nested_body_is_400_not_500(member):
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}"):
        reply = member.post("/api/jobs", raw=raw)
        assert reply.status == 400, reply.body
        assert "detail" in reply.json


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(member, constant):
    raw = f'{{"name": "p", "monthly_spend": {constant}}}'.encode()
    reply = member.post("/api/projects", raw=raw)
    assert reply.status == 400
    assert "not valid JSON" in reply.json["detail"] and constant in reply.json["detail"]


@pytest.mark.parametrize("body, field", [
    ({"name": "p", "build_progress": True}, "build_progress"),
    ({"name": "p", "monthly_spend": True}, "monthly_spend"),
    ({"name": "p", "build_progress": "50"}, "build_progress"),
])
def test_a_project_number_given_as_a_boolean_or_string_is_400_naming_the_field(member, body, field):
    reply = member.post("/api/projects", body)
    assert reply.status == 400, reply.body
    assert reply.json["detail"].startswith(f"{field}:")


def test_a_provider_flag_given_as_a_string_or_number_is_400(admin):
    assert admin.request("PATCH", "/api/providers/openai", body={"enabled": "false"}).status == 400
    assert admin.request("PATCH", "/api/providers/openai", body={"enabled": 0}).status == 400
    assert admin.get("/api/providers").json["providers"]["openai"]["enabled"] is True


# --- query parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["1_0", "%D9%A3", "+5", "%205"])
def test_a_limit_that_is_not_plain_digits_is_400(member, limit):
    reply = member.get(f"/api/jobs?limit={limit}")
    assert reply.status == 400
    assert reply.json["detail"].startswith("limit:")


@pytest.mark.parametrize("key", [
    {"team_id": "team-a"},
    {"team_id": "team-a", "slug": "zz"},
    {"team_id": "team-a", "slug": "zz", "created_key": "x", "extra": "y"},
    {"team_id": "team-a", "slug": "", "created_key": ""},
])
def test_a_tampered_cursor_is_400_naming_it(member, key):
    reply = member.get(f"/api/jobs?cursor={cursor_of(key)}")
    assert reply.status == 400, reply.body
    assert reply.json["detail"].startswith("cursor:")


def test_a_genuine_cursor_still_pages(member):
    for index in range(3):
        assert member.post("/api/jobs", small_job(slug=f"page-{index}")).status == 202
    first = member.get("/api/jobs?limit=2")
    cursor = first.headers["X-Next-Cursor"]
    second = member.get(f"/api/jobs?limit=2&cursor={cursor}")
    assert second.status == 200
    slugs = [job["slug"] for job in first.json + second.json]
    assert sorted(slugs) == ["page-0", "page-1", "page-2"]


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0.005", "1e-900", "1e3", "5_0", "-0"])
def test_a_cost_limit_that_is_not_dollars_and_cents_is_400(admin, value):
    reply = admin.post("/api/settings", {"daily_cost_limit": value})
    assert reply.status == 400, reply.body
    assert reply.json["detail"].startswith("daily_cost_limit:")
    assert admin.get("/api/settings").json["daily_cost_limit"] == "5.00"


def test_a_cost_limit_in_dollars_and_cents_is_kept(admin):
    assert admin.post("/api/settings", {"daily_cost_limit": "0.5"}).json["daily_cost_limit"] == "0.50"
    assert admin.post("/api/settings", {"daily_cost_limit": 12}).json["daily_cost_limit"] == "12.00"


@pytest.mark.parametrize("value", ["1_0", "\u0663", "+3"])
def test_a_whole_number_setting_must_be_plain_digits(admin, value):
    reply = admin.post("/api/settings", {"max_repair_attempts": value})
    assert reply.status == 400, reply.body
    assert reply.json["detail"].startswith("max_repair_attempts:")


def test_a_model_id_with_control_characters_is_400(admin):
    reply = admin.post("/api/settings", {"smart_model_fallback": "gpt\x00-4o"})
    assert reply.status == 400
    assert reply.json["detail"].startswith("smart_model_fallback:")


# --- auth ---------------------------------------------------------------------------------------


def test_a_token_whose_team_id_ends_in_a_newline_is_401(fresh):
    import jwt

    from chalicelib import config

    now = int(time.time())
    forged = jwt.encode({"team_id": "team-a\n", "role": "admin", "iat": now, "exp": now + 60},
                        config.load().jwt_secret, algorithm="HS256")
    reply = ApiClient(fresh.api_url, forged).get("/api/auth/me")
    assert reply.status == 401
    assert "team_id" in reply.json["detail"]


# --- races --------------------------------------------------------------------------------------


def test_two_deletes_at_once_one_wins_the_other_is_404(member, admin):
    slug = member.post("/api/jobs", small_job(slug="twice")).json["slug"]
    member.wait_for_job(slug)
    replies = in_parallel(*[lambda: admin.delete(f"/api/jobs/{slug}")] * 4)
    assert sorted(reply.status for reply in replies) == [200, 404, 404, 404], [r.body for r in replies]


def test_a_cancel_that_loses_to_a_delete_is_404_not_500(member, admin, monkeypatch):
    from chalicelib.api import jobs as jobs_api
    from chalicelib.pipeline import lifecycle
    from chalicelib.store.errors import Conflict

    slug = member.post("/api/jobs", small_job(slug="gone")).json["slug"]
    member.wait_for_job(slug)

    def cancel_after_a_delete(team_id: str, job_slug: str):
        lifecycle.delete_job(team_id, job_slug, purge=False)
        raise Conflict("the job is not active")

    monkeypatch.setattr(jobs_api.lifecycle, "cancel_job", cancel_after_a_delete)
    reply = member.post(f"/api/jobs/{slug}/cancel")
    assert reply.status == 404, reply.body
    assert slug in reply.json["detail"]


def test_concurrent_upserts_of_a_new_project_create_it_once(member):
    replies = in_parallel(*[lambda index=index: member.request("PUT", "/api/projects/racy", body={"name": f"n{index}"})
                            for index in range(6)])
    assert sorted(reply.status for reply in replies) == [200, 200, 200, 200, 200, 201], [r.body for r in replies]
    stored = member.get("/api/projects/racy").json
    assert {reply.json["created_at"] for reply in replies} == {stored["created_at"]}


def test_an_http_method_the_server_does_not_know_is_405_json(anonymous):
    reply = anonymous.request("TRACE", "/api/jobs")
    assert reply.status == 405 and reply.json == {"detail": "method TRACE not allowed"}


@pytest.mark.parametrize("slug", ["x" * 200, "bad%0Aslug", "a%2Fb", "sp%20ace"])
def test_a_path_identifier_that_cannot_name_an_item_is_404(member, slug):
    reply = member.get(f"/api/jobs/{slug}")
    assert reply.status == 404 and "detail" in reply.json
