"""Human in the loop against the emulator: gates that pause a job, decisions, the queue, experiences."""

from __future__ import annotations

import threading

from chalicelib.domain.phases import PHASES
from chalicelib.store import settings

JOB = {"name": "Pantry Saver", "description": "Track food expiry dates in the pantry.", "features": "inventory"}


def _wait_for_checkpoint(client, slug: str) -> dict:
    job = client.wait_for_job(slug, statuses=("waiting_approval", "succeeded", "failed", "cancelled"))
    assert job["status"] == "waiting_approval", job
    pending = client.get("/api/checkpoints?status=pending").json
    return next(item for item in pending if item["job_slug"] == slug)


def test_a_gated_job_pauses_shows_in_the_queue_and_resumes_on_approve(member):
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["architect"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    assert checkpoint["phase"] == "architect" and "architect" in checkpoint["action"]
    assert "task_token" not in checkpoint and "docs/product_spec.json" in checkpoint["documents"]
    statuses = member.get(f"/api/jobs/{slug}/phase-status").json
    assert statuses["ba"] == "passed"
    assert all(statuses[phase] == "pending" for phase in PHASES[PHASES.index("architect"):])
    queue = member.get("/api/hitl/queue").json
    assert queue["counts"]["checkpoints"] == 1
    assert any(item["type"] == "checkpoint" and item["id"] == checkpoint["id"] for item in queue["pending"])

    decided = member.post(f"/api/checkpoints/{checkpoint['id']}/approve")
    assert decided.status == 200 and decided.json["status"] == "approved" and decided.json["decided_by"] == "member@team-a"
    job = member.wait_for_job(slug)
    assert job["status"] == "succeeded", job["error"]
    assert member.post(f"/api/checkpoints/{checkpoint['id']}/approve").status == 409
    decisions = [entry for entry in member.get(f"/api/jobs/{slug}/logs").json if entry["kind"] == "hitl_decision"]
    assert decisions and "member@team-a" in decisions[0]["message"]


def test_a_rejected_checkpoint_fails_the_job_with_the_reason(member):
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["dev"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    reply = member.post(f"/api/hitl/{checkpoint['id']}/reject?reason=not%20this%20design")
    assert reply.status == 200 and reply.json["status"] == "rejected"
    job = member.wait_for_job(slug)
    assert job["status"] == "failed"
    assert "not this design" in job["error"] and "dev" in job["error"]
    assert member.get(f"/api/jobs/{slug}/phase-status").json["dev"] == "skipped"


def test_cancel_while_waiting_ends_the_job_cancelled_at_once(member):
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["uiux"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    assert member.post(f"/api/jobs/{slug}/cancel").status == 200
    job = member.wait_for_job(slug, timeout=15)
    assert job["status"] == "cancelled"
    assert set(member.get(f"/api/jobs/{slug}/phase-status").json[phase] for phase in PHASES[PHASES.index("uiux"):]) == {"cancelled"}
    assert member.get(f"/api/hitl/{checkpoint['id']}/approve").status == 405
    assert member.post(f"/api/hitl/{checkpoint['id']}/approve").status == 409
    assert member.get("/api/hitl/queue").json["counts"]["checkpoints"] == 0


def test_an_undecided_checkpoint_times_out_and_fails_the_job(member, fresh):
    settings.update({"checkpoint_timeout_seconds": "2"})
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["backend"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    job = member.wait_for_job(slug, timeout=30)
    assert job["status"] == "failed"
    assert "not decided within 2 seconds" in job["error"]
    assert member.get("/api/checkpoints?status=expired").json[0]["id"] == checkpoint["id"]


def test_platform_checkpoint_setting_gates_every_job(member, fresh):
    settings.update({"checkpoint_phases": "export"})
    slug = member.post("/api/jobs", JOB).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    assert checkpoint["phase"] == "export"
    member.post(f"/api/hitl/{checkpoint['id']}/approve")
    assert member.wait_for_job(slug)["status"] == "succeeded"


def test_two_concurrent_approvals_one_wins_the_other_is_409(member, admin):
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["architect"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def approve(client):
        barrier.wait()
        results.append(client.post(f"/api/checkpoints/{checkpoint['id']}/approve").status)

    threads = [threading.Thread(target=approve, args=(client,)) for client in (member, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409]
    assert member.wait_for_job(slug)["status"] == "succeeded"


def test_viewers_cannot_decide_and_other_teams_see_404(member, viewer, other_team):
    slug = member.post("/api/jobs", {**JOB, "checkpoints": ["architect"]}).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    assert viewer.post(f"/api/checkpoints/{checkpoint['id']}/approve").status == 403
    assert other_team.post(f"/api/checkpoints/{checkpoint['id']}/approve").status == 404
    assert other_team.get("/api/hitl/queue").json == {"pending": [], "counts": {"experiences": 0, "checkpoints": 0}}
    assert member.post("/api/checkpoints/cp-unknown/approve").status == 404
    assert member.post(f"/api/experiences/{checkpoint['id']}/approve").status == 404
    member.post(f"/api/checkpoints/{checkpoint['id']}/approve")
    member.wait_for_job(slug)


def test_a_finished_job_leaves_pending_experiences_to_review(member, viewer):
    slug = member.post("/api/jobs", {**JOB, "features": "inventory, deals list"}).json["slug"]
    assert member.wait_for_job(slug)["status"] == "succeeded"
    pending = member.get("/api/experiences?status=pending").json
    mappings = [item for item in pending if item["kind"] == "feature_mapping"]
    assert any('"deals list"' in item["content"] for item in mappings)
    assert all(item["status"] == "pending" and item["job_slug"] == slug for item in pending)
    first, second = mappings[0], mappings[1]
    assert viewer.post(f"/api/experiences/{first['id']}/approve").status == 403
    assert member.post(f"/api/experiences/{first['id']}/approve").json["status"] == "approved"
    rejected = member.post(f"/api/experiences/{second['id']}/reject?reason=wrong%20kind").json
    assert rejected["status"] == "rejected" and rejected["reason"] == "wrong kind"
    assert [item["id"] for item in member.get("/api/experiences?status=approved").json] == [first["id"]]
    assert member.get("/api/experiences?status=bogus").status == 400
    queue = member.get("/api/hitl/queue").json
    assert queue["counts"]["experiences"] == len(pending) - 2
    # The same lessons from a second identical job are not queued twice.
    again = member.post("/api/jobs", {**JOB, "features": "inventory, deals list"}).json["slug"]
    member.wait_for_job(again)
    assert member.get("/api/hitl/queue").json["counts"]["experiences"] == len(pending) - 2


def _plant_secret(monkeypatch):
    import chalicelib.agents.dev as dev

    original = dev.run

    def dev_with_a_secret(ctx):
        outcome = original(ctx)
        path = "source/lib/config/app_config.dart"
        text = ctx.workspace.read(path)
        ctx.workspace.write(path, text + "\nconst paymentApiKey = 'sk_live_51HxQ2eLkdIwHu7ixMZ3ITx0q9vT4pRk';\n")
        return outcome

    monkeypatch.setattr(dev, "run", dev_with_a_secret)


def test_high_security_findings_fail_the_job_by_default(member, monkeypatch):
    _plant_secret(monkeypatch)
    slug = member.post("/api/jobs", JOB).json["slug"]
    job = member.wait_for_job(slug)
    assert job["status"] == "failed" and "app_config.dart" in job["error"] and "high-severity" in job["error"]


def test_high_security_findings_ask_a_human_when_the_setting_is_on(member, fresh, monkeypatch):
    import io
    import zipfile

    _plant_secret(monkeypatch)
    settings.update({"security_high_findings_checkpoint": "true"})
    slug = member.post("/api/jobs", JOB).json["slug"]
    checkpoint = _wait_for_checkpoint(member, slug)
    assert checkpoint["gate"] == "security_findings" and checkpoint["action"].startswith("Ship despite")
    assert "app_config.dart" in checkpoint["summary"]
    assert member.get(f"/api/jobs/{slug}/phase-status").json["reviewer"] == "pending"
    member.post(f"/api/checkpoints/{checkpoint['id']}/approve")
    job = member.wait_for_job(slug)
    assert job["status"] == "succeeded", job["error"]
    archive = zipfile.ZipFile(io.BytesIO(member.get(f"/api/jobs/{slug}/download").body))
    assert "docs/security_waiver.json" in archive.namelist()
    assert "accepted at a checkpoint by member@team-a" in archive.read("docs/final_review.md").decode()


def test_only_approved_experiences_of_the_team_steer_later_offline_jobs(member, other_team, monkeypatch):
    import json as json_module

    from chalicelib.flutter import features
    from chalicelib.store.files import S3Workspace

    body = {**JOB, "features": "deals map, favourites"}
    first = member.post("/api/jobs", body).json["slug"]
    assert member.wait_for_job(first)["status"] == "succeeded"
    pending = {item["data"]["feature"]: item for item in member.get("/api/experiences?status=pending").json
               if item["kind"] == "feature_mapping"}
    assert pending["deals map"]["data"]["kind"] == "map"
    member.post(f"/api/experiences/{pending['deals map']['id']}/approve")
    member.post(f"/api/experiences/{pending['favourites']['id']}/reject?reason=no")

    # The classifier changes its mind about every feature; approved mappings must still hold.
    monkeypatch.setattr(features, "_kind_of", lambda text: "crud")

    def kinds(client, team: str) -> dict:
        slug = client.post("/api/jobs", body).json["slug"]
        assert client.wait_for_job(slug)["status"] == "succeeded"
        spec = json_module.loads(S3Workspace(team, slug).read("docs/product_spec.json"))
        return {feature["source"]: feature["kind"] for feature in spec["features"]}

    assert kinds(member, "team-a") == {"deals map": "map", "favourites": "crud"}
    assert kinds(other_team, "team-b") == {"deals map": "crud", "favourites": "crud"}
