"""System and Auth endpoints, JWT rules and the error contract, over real HTTP."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from chalicelib import config
from tests.conftest import ADMIN_KEY


def test_health_and_api_info_are_public(anonymous):
    assert anonymous.get("/health").json == {"status": "ok", "queue_backend": "sqs"}
    info = anonymous.get("/api").json
    assert info == {"status": "online", "service": "Unified AI Software Factory API Backend",
                    "version": "1.0.0", "docs_url": "/docs"}


def test_ready_reaches_storage_and_reports_missing_bucket(anonymous, fresh):
    assert anonymous.get("/ready").json == {"status": "ready"}
    bucket = config.load().bucket
    s3 = fresh.emulator.client("s3")
    for version in s3.list_object_versions(Bucket=bucket).get("Versions", []):
        s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
    s3.delete_bucket(Bucket=bucket)
    reply = anonymous.get("/ready")
    assert reply.status == 503
    assert reply.json["status"] == "not_ready" and bucket in reply.json["error"]


def test_system_status_names_tables_bucket_and_state_machine(admin):
    status = admin.get("/api/system/status").json
    assert status["storage"]["reachable"] is True
    assert status["storage"]["tables"]["jobs"].endswith("-jobs")
    assert status["state_machine"].startswith("arn:aws:states:")
    assert status["queue_backend"] == "sqs"


def test_token_requires_the_admin_key(anonymous):
    assert anonymous.post("/api/auth/token", {}).status == 401
    wrong = anonymous.post("/api/auth/token", {}, headers={"X-Admin-Key": "nope"})
    assert wrong.status == 401 and "wrong" in wrong.json["detail"]
    good = anonymous.post("/api/auth/token", {"team_id": "acme", "role": "member"}, headers={"X-Admin-Key": ADMIN_KEY})
    assert good.status == 200
    assert good.json["team_id"] == "acme" and good.json["role"] == "member" and good.json["expires_in"] == 86400
    claims = jwt.decode(good.json["token"], options={"verify_signature": False})
    assert {"team_id", "role", "iat", "exp"} <= set(claims)


def test_token_defaults_to_default_team_admin(anonymous):
    reply = anonymous.post("/api/auth/token", None, headers={"X-Admin-Key": ADMIN_KEY})
    assert reply.status == 200 and (reply.json["team_id"], reply.json["role"]) == ("default", "admin")


def test_token_with_unknown_role_is_a_validation_error(anonymous):
    reply = anonymous.post("/api/auth/token", {"role": "owner"}, headers={"X-Admin-Key": ADMIN_KEY})
    assert reply.status == 400 and "role" in reply.json["detail"]


def test_token_endpoint_is_503_without_a_configured_admin_key(anonymous, monkeypatch):
    monkeypatch.setenv("STAGE", "dev")
    monkeypatch.setenv("JWT_SECRET", "x" * 40)
    monkeypatch.delenv("ADMIN_API_KEY")
    reply = anonymous.post("/api/auth/token", {}, headers={"X-Admin-Key": "anything"})
    assert reply.status == 503 and "ADMIN_API_KEY" in reply.json["detail"]


def test_me_returns_the_tokens_team_and_role(member):
    assert member.get("/api/auth/me").json == {"team_id": "team-a", "role": "member"}


def _forge(claims: dict, secret: str = config.DEV_JWT_SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=alg)


@pytest.mark.parametrize("make_token, reason", [
    (lambda: None, "missing"),
    (lambda: "not-a-jwt", "invalid"),
    (lambda: _forge({"team_id": "t", "role": "admin", "iat": int(time.time()) - 100, "exp": int(time.time()) - 10}), "expired"),
    (lambda: _forge({"team_id": "t", "role": "admin", "iat": int(time.time()), "exp": int(time.time()) + 60}, "other-" * 8), "invalid"),
    (lambda: _forge({"team_id": "t", "role": "admin", "iat": int(time.time())}), "invalid"),
])
def test_bad_tokens_are_401(anonymous, make_token, reason):
    token = make_token()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reply = anonymous.get("/api/auth/me", headers=headers)
    assert reply.status == 401
    assert reason in reply.json["detail"]


def test_alg_none_and_tampered_tokens_are_refused(anonymous, admin):
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    payload_claims = {"team_id": "team-a", "role": "admin", "iat": int(time.time()), "exp": int(time.time()) + 600}
    payload = base64.urlsafe_b64encode(json.dumps(payload_claims).encode()).rstrip(b"=").decode()
    assert anonymous.get("/api/auth/me", headers={"Authorization": f"Bearer {header}.{payload}."}).status == 401
    head, _, signature = admin.token.split(".")
    promoted = base64.urlsafe_b64encode(json.dumps({**payload_claims, "team_id": "team-z"}).encode()).rstrip(b"=").decode()
    assert anonymous.get("/api/auth/me", headers={"Authorization": f"Bearer {head}.{promoted}.{signature}"}).status == 401


def test_denials_are_recorded_as_permission_denied_activity(anonymous, viewer, fresh):
    anonymous.get("/api/jobs")
    viewer.post("/api/jobs", {"name": "x", "description": "y"})
    from chalicelib.store import activity

    denied_anonymous = activity.recent("_anonymous", 10, kind="permission_denied")
    denied_viewer = activity.recent("team-a", 10, kind="permission_denied")
    assert any("GET /api/jobs" in entry["message"] for entry in denied_anonymous)
    assert any(entry["details"]["status"] == 403 for entry in denied_viewer)


def test_dev_secret_is_refused_outside_local_stage(monkeypatch):
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("JWT_SECRET", config.DEV_JWT_SECRET)
    with pytest.raises(config.ConfigError):
        config.load()
    monkeypatch.delenv("JWT_SECRET")
    with pytest.raises(config.ConfigError):
        config.load()


def test_unknown_route_is_404_detail(anonymous):
    reply = anonymous.get("/api/nothing-here")
    assert reply.status == 404 and "detail" in reply.json


def test_wrong_method_is_405_detail(admin):
    reply = admin.request("PUT", "/api/jobs")
    assert reply.status == 405 and reply.json["detail"].startswith("method PUT")


def test_invalid_json_is_400_detail(admin):
    reply = admin.request("POST", "/api/jobs", raw=b"{not json")
    assert reply.status == 400 and "not valid JSON" in reply.json["detail"]


def test_non_json_content_type_is_415_detail(admin):
    reply = admin.request("POST", "/api/jobs", raw=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 415 and "detail" in reply.json


def test_openapi_describes_every_route_and_docs_are_served_locally(anonymous, stack):
    import app as chalice_app

    document = anonymous.get("/openapi.json").json
    assert document["openapi"].startswith("3.")
    for path, methods in chalice_app.app.routes.items():
        for method in methods:
            assert method.lower() in document["paths"][path], f"{method} {path} undocumented"
    job_create = document["components"]["schemas"]["JobCreate"]
    assert {"name", "description", "platform"} <= set(job_create["properties"])
    page = anonymous.get("/docs")
    assert page.status == 200 and b"/docs/assets/swagger-ui-bundle.js" in page.body and b"http" not in page.body.split(b"<body>")[1]
    asset = anonymous.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status == 200 and len(asset.body) > 100_000
