"""The Jobs API over real HTTP: validation, slugs, tenancy, pagination, files, download."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from chalicelib.domain.phases import PHASES

REQUESTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "requests"


def small_job(**overrides) -> dict:
    return {"name": "Pantry Saver", "description": "Track food expiry dates.", "features": "inventory", **overrides}


def test_create_job_returns_202_with_the_job_object(member):
    reply = member.post("/api/jobs", small_job(platform=["web", "android"], features=["inventory", "shopping list"]))
    assert reply.status == 202
    job = reply.json
    assert job["slug"] == "pantry-saver" and job["team_id"] == "team-a" and job["status"] == "queued"
    assert job["platform"] == ["web", "android"] and job["features"] == ["inventory", "shopping list"]
    assert job["style"] == "modern" and job["backend"] == "none" and job["download_ready"] is False
    assert job["created_at"].endswith("Z")


def test_comma_lists_and_defaults_are_normalised(member):
    job = member.post("/api/jobs", {"name": "A", "description": "B", "features": " auth, , charts "}).json
    assert job["platform"] == ["android", "ios"] and job["features"] == ["auth", "charts"]


def test_unicode_names_are_transliterated_into_slugs(member):
    job = member.post("/api/jobs", {"name": "Quản lý Chi tiêu Gia đình", "description": "x"}).json
    assert job["slug"] == "quan-ly-chi-tieu-gia-dinh"


def test_a_derived_slug_gets_a_numeric_suffix_and_an_explicit_one_conflicts(member):
    assert member.post("/api/jobs", small_job()).json["slug"] == "pantry-saver"
    assert member.post("/api/jobs", small_job()).json["slug"] == "pantry-saver-2"
    conflict = member.post("/api/jobs", small_job(slug="pantry-saver"))
    assert conflict.status == 409 and "pantry-saver" in conflict.json["detail"]


@pytest.mark.parametrize("body, field", [
    ({"description": "x"}, "name"),
    ({"name": "", "description": "x"}, "name"),
    ({"name": "x" * 101, "description": "x"}, "name"),
    ({"name": "x", "description": "x" * 5001}, "description"),
    ({"name": "x", "description": "y", "platform": "android,windows"}, "platform"),
    ({"name": "x", "description": "y", "backend": "mongo"}, "backend"),
    ({"name": "x", "description": "y", "slug": "Bad Slug"}, "slug"),
    ({"name": "x", "description": "y", "checkpoints": ["deploy"]}, "checkpoints"),
    ({"name": "x", "description": "y", "colour": "red"}, "colour"),
    ({"name": 5, "description": "y"}, "name"),
])
def test_validation_errors_name_the_field(member, body, field):
    reply = member.post("/api/jobs", body)
    assert reply.status == 400
    assert field in reply.json["detail"]


def test_a_body_that_is_not_an_object_is_400(member):
    assert member.post("/api/jobs", ["a"]).status == 400


def test_an_oversized_body_is_413(member):
    reply = member.post("/api/jobs", {"name": "x", "description": "y" * 1_100_000})
    assert reply.status == 413


def test_viewers_cannot_create_or_cancel_and_members_cannot_delete(viewer, member):
    assert viewer.post("/api/jobs", small_job()).status == 403
    slug = member.post("/api/jobs", small_job()).json["slug"]
    assert viewer.post(f"/api/jobs/{slug}/cancel").status == 403
    assert member.delete(f"/api/jobs/{slug}").status == 403
    assert viewer.get(f"/api/jobs/{slug}").status == 200


def test_another_teams_job_is_404_everywhere(member, other_team):
    slug = member.post("/api/jobs", small_job()).json["slug"]
    for path in ("", "/phases", "/phase-status", "/logs", "/download", "/code/tree", "/code/file?path=docs/x.md"):
        assert other_team.get(f"/api/jobs/{slug}{path}").status == 404, path
    assert other_team.post(f"/api/jobs/{slug}/cancel").status == 404
    assert other_team.delete(f"/api/jobs/{slug}").status == 404
    assert other_team.get("/api/jobs").json == []


def test_list_is_newest_first_filtered_and_paginated(member, admin):
    slugs = [member.post("/api/jobs", small_job(slug=f"job-{n}")).json["slug"] for n in range(5)]
    for slug in slugs:
        admin.wait_for_job(slug)
    first = member.get("/api/jobs?limit=2")
    assert [job["slug"] for job in first.json] == ["job-4", "job-3"]
    cursor = first.headers["X-Next-Cursor"]
    second = member.get(f"/api/jobs?limit=2&cursor={cursor}")
    assert [job["slug"] for job in second.json] == ["job-2", "job-1"]
    assert [job["slug"] for job in member.get("/api/jobs?status=succeeded").json] == slugs[::-1]
    assert member.get("/api/jobs?status=failed").json == []


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=ten", "status=done", "cursor=garbage!"])
def test_bad_list_parameters_are_400(member, query):
    reply = member.get(f"/api/jobs?{query}")
    assert reply.status == 400 and "detail" in reply.json


def test_a_cursor_from_another_team_is_refused(member, other_team):
    for n in range(3):
        other_team.post("/api/jobs", small_job(slug=f"b-{n}"))
    cursor = other_team.get("/api/jobs?limit=1").headers["X-Next-Cursor"]
    assert member.get(f"/api/jobs?cursor={cursor}").status == 400


def test_unknown_job_is_404(member):
    assert member.get("/api/jobs/nope").status == 404
    assert member.post("/api/jobs/nope/cancel").status == 404


def test_a_finished_job_exposes_phases_logs_tree_files_and_zip(member, admin):
    body = json.loads((REQUESTS / "pantry-saver.json").read_text())
    slug = member.post("/api/jobs", body).json["slug"]
    job = member.wait_for_job(slug)
    assert job["status"] == "succeeded", job["error"]
    assert job["download_ready"] is True and job["finished_at"] and job["started_at"]

    rows = member.get(f"/api/jobs/{slug}/phases").json
    assert [row["phase"] for row in rows] == list(PHASES)
    assert all(row["status"] in ("passed", "skipped") for row in rows)
    assert {row["phase"]: row["status"] for row in rows}["backend"] == "skipped"
    dev = next(row for row in rows if row["phase"] == "dev")
    assert dev["agent"] == "dev_agent" and dev["attempts"] == 1 and "source/lib/main.dart" in dev["outputs"]
    assert member.get(f"/api/jobs/{slug}/phase-status").json["export"] == "passed"

    logs = member.get(f"/api/jobs/{slug}/logs").json
    assert any(entry["kind"] == "job_succeeded" for entry in logs)
    assert all(entry["phase"] == "qa" for entry in member.get(f"/api/jobs/{slug}/logs?phase=qa").json)
    assert member.get(f"/api/jobs/{slug}/logs?level=loud").status == 400

    tree = member.get(f"/api/jobs/{slug}/code/tree").json
    paths = {entry["path"]: entry for entry in tree}
    assert paths["source"]["isDir"] is True and paths["source"]["size"] == 0
    assert paths["source/lib/main.dart"]["isDir"] is False and paths["source/lib/main.dart"]["size"] > 0
    assert all(path.startswith(("source", "docs")) for path in paths)

    main = member.get(f"/api/jobs/{slug}/code/file?path=source/lib/main.dart").json
    assert main["path"] == "source/lib/main.dart" and "runApp" in main["content"]
    for bad in ("exports/pantry-saver_source.zip", "source/../../other/x", "../x", "/etc/passwd", "source/..%2F..%2Fx"):
        assert member.get(f"/api/jobs/{slug}/code/file?path={bad}").status == 403, bad
    assert member.get(f"/api/jobs/{slug}/code/file?path=source/nope.dart").status == 404
    assert member.get(f"/api/jobs/{slug}/code/file").status == 400

    download = member.get(f"/api/jobs/{slug}/download")
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/zip"
    assert download.headers["Content-Disposition"] == f"attachment; filename={slug}_source.zip"
    names = zipfile.ZipFile(io.BytesIO(download.body)).namelist()
    assert "source/pubspec.yaml" in names and "source/lib/main.dart" in names
    assert any(name.startswith("source/test/") for name in names) and any(name.startswith("docs/") for name in names)


def test_file_limits_binary_and_size(member, fresh):
    from chalicelib.store.files import S3Workspace

    slug = member.post("/api/jobs", small_job()).json["slug"]
    member.wait_for_job(slug)
    workspace = S3Workspace("team-a", slug)
    workspace.write("docs/blob.bin", b"\x00\x01\x02binary")
    workspace.write("docs/huge.md", "x" * (500 * 1024 + 1))
    assert member.get(f"/api/jobs/{slug}/code/file?path=docs/blob.bin").status == 400
    assert member.get(f"/api/jobs/{slug}/code/file?path=docs/huge.md").status == 413


def test_a_large_zip_redirects_to_a_presigned_url_that_serves_it(member, fresh, monkeypatch):
    import urllib.request

    from chalicelib.api import jobs as jobs_api

    slug = member.post("/api/jobs", small_job()).json["slug"]
    member.wait_for_job(slug)
    monkeypatch.setattr(jobs_api, "MAX_INLINE_ZIP_BYTES", 100)
    reply = member.get(f"/api/jobs/{slug}/download")
    assert reply.status == 302
    with urllib.request.urlopen(reply.headers["Location"], timeout=10) as response:
        data = response.read()
    assert "source/pubspec.yaml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_delete_with_purge_removes_every_object_under_the_job(member, admin, fresh):
    from chalicelib import config

    slug = member.post("/api/jobs", small_job()).json["slug"]
    member.wait_for_job(slug)
    s3 = fresh.emulator.client("s3")
    prefix = f"apps/team-a/{slug}/"
    assert s3.list_objects_v2(Bucket=config.load().bucket, Prefix=prefix)["KeyCount"] > 0
    reply = admin.delete(f"/api/jobs/{slug}?purge=true")
    assert reply.json == {"deleted": slug, "purged": True}
    versions = s3.list_object_versions(Bucket=config.load().bucket, Prefix=prefix)
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
    assert member.get(f"/api/jobs/{slug}").status == 404


def test_delete_without_purge_keeps_files(member, admin, fresh):
    from chalicelib import config

    slug = member.post("/api/jobs", small_job()).json["slug"]
    member.wait_for_job(slug)
    assert admin.delete(f"/api/jobs/{slug}").json == {"deleted": slug, "purged": False}
    s3 = fresh.emulator.client("s3")
    assert s3.list_objects_v2(Bucket=config.load().bucket, Prefix=f"apps/team-a/{slug}/")["KeyCount"] > 0
    assert admin.delete(f"/api/jobs/{slug}").status == 404
    assert admin.delete(f"/api/jobs/{slug}?purge=maybe").status in (400, 404)
