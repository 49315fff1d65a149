"""Projects over HTTP: create, read, upsert, delete, validation, roles and team isolation."""

from __future__ import annotations

import pytest

PROJECT = {"name": "Pantry Saver", "description": "Less food waste.", "status": "development", "health": "good",
           "icon": "kitchen", "repository": "https://git.example/pantry", "monthly_spend": 12.5, "sla": "99.9%",
           "build_progress": 40, "features": "inventory, reminders"}


def test_create_returns_201_with_every_field_and_a_derived_slug(member):
    reply = member.post("/api/projects", PROJECT)
    assert reply.status == 201
    project = reply.json
    assert project["slug"] == "pantry-saver" and project["status"] == "development"
    assert project["features"] == ["inventory", "reminders"] and project["monthly_spend"] == 12.5
    assert project["build_progress"] == 40 and project["created_at"].endswith("Z")
    assert member.post("/api/projects", PROJECT).json["slug"] == "pantry-saver-2"
    assert member.post("/api/projects", {**PROJECT, "slug": "pantry-saver"}).status == 409


def test_defaults_apply_when_only_a_name_is_given(member):
    project = member.post("/api/projects", {"name": "Quản lý"}).json
    assert project["slug"] == "quan-ly" and project["status"] == "discovery" and project["build_progress"] == 0


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x", "status": "done"}, "status"),
    ({"name": "x", "build_progress": 101}, "build_progress"),
    ({"name": "x", "build_progress": -1}, "build_progress"),
    ({"name": "x", "monthly_spend": -5}, "monthly_spend"),
    ({"name": "x", "slug": "Bad Slug"}, "slug"),
    ({"name": "x", "owner": "me"}, "owner"),
])
def test_invalid_projects_are_400_naming_the_field(member, body, field):
    reply = member.post("/api/projects", body)
    assert reply.status == 400 and field in reply.json["detail"]


def test_get_list_put_and_delete(member, admin):
    member.post("/api/projects", PROJECT)
    member.post("/api/projects", {"name": "Alpha"})
    assert [project["slug"] for project in member.get("/api/projects").json] == ["alpha", "pantry-saver"]
    assert member.get("/api/projects/pantry-saver").json["health"] == "good"
    assert member.get("/api/projects/nope").status == 404
    replaced = member.request("PUT", "/api/projects/pantry-saver", {"name": "Pantry Saver", "status": "production"})
    assert replaced.status == 200 and replaced.json["status"] == "production" and replaced.json["build_progress"] == 0
    original = member.get("/api/projects/alpha").json
    assert replaced.json["created_at"] <= replaced.json["updated_at"] and original["created_at"]
    created = member.request("PUT", "/api/projects/new-one", {"name": "New"})
    assert created.status == 201 and created.json["slug"] == "new-one"
    assert member.request("PUT", "/api/projects/new-one", {"name": "New", "slug": "other"}).status == 400
    assert member.request("PUT", "/api/projects/Bad_Slug", {"name": "New"}).status == 400
    assert admin.delete("/api/projects/new-one").json == {"deleted": "new-one"}
    assert admin.delete("/api/projects/new-one").status == 404


def test_viewers_read_members_write_admins_delete(viewer, member):
    assert viewer.post("/api/projects", PROJECT).status == 403
    member.post("/api/projects", PROJECT)
    assert viewer.request("PUT", "/api/projects/pantry-saver", {"name": "x"}).status == 403
    assert member.delete("/api/projects/pantry-saver").status == 403
    assert viewer.get("/api/projects/pantry-saver").status == 200


def test_another_teams_project_is_404_everywhere(member, other_team):
    member.post("/api/projects", PROJECT)
    assert other_team.get("/api/projects").json == []
    assert other_team.get("/api/projects/pantry-saver").status == 404
    assert other_team.delete("/api/projects/pantry-saver").status == 404
    other_team.request("PUT", "/api/projects/pantry-saver", {"name": "Theirs"})
    assert member.get("/api/projects/pantry-saver").json["name"] == "Pantry Saver"
