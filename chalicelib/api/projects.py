"""Projects endpoints (team-scoped): list, create, read, upsert, delete."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.errors import BadRequest, ConflictError, NotFoundError
from chalicelib.api.routing import route
from chalicelib.auth import Principal
from chalicelib.domain.fields import SLUG_RULE, is_slug
from chalicelib.domain.projects import Project, ProjectBody, ProjectDeleted
from chalicelib.pipeline.lifecycle import derive_slug
from chalicelib.store import activity, projects
from chalicelib.store.errors import Conflict, NotFound

blueprint = Blueprint(__name__)


@route(blueprint, "/api/projects", "GET", "The team's projects", response=list[Project], tag="projects")
def list_projects(caller: Principal) -> list[Project]:
    return projects.list_all(caller.team_id)


@route(blueprint, "/api/projects", "POST", "Create a project (slug derived from the name unless given)",
       role="member", body=ProjectBody, response=Project, status=201, tag="projects")
def create_project(caller: Principal, body: ProjectBody) -> Project:
    try:
        project = projects.create(caller.team_id, body, derive_slug(body.name))
    except Conflict as error:
        raise ConflictError(str(error)) from error
    activity.record(caller.team_id, "project_created", f"project {project.slug} created")
    return project


@route(blueprint, "/api/projects/{slug}", "GET", "One project", response=Project, tag="projects")
def get_project(caller: Principal, slug: str) -> Project:
    try:
        return projects.get(caller.team_id, slug)
    except NotFound as error:
        raise NotFoundError(str(error)) from error


@route(blueprint, "/api/projects/{slug}", "PUT", "Create or replace the project at this slug", role="member",
       body=ProjectBody, response=Project, tag="projects")
def put_project(caller: Principal, body: ProjectBody, slug: str) -> Response:
    if not is_slug(slug):
        raise BadRequest(f"slug: {SLUG_RULE}")
    if body.slug is not None and body.slug != slug:
        raise BadRequest(f"slug: {body.slug!r} in the body does not match {slug!r} in the URL")
    try:
        project, created = projects.put(caller.team_id, slug, body)
    except Conflict as error:
        raise ConflictError(str(error)) from error
    activity.record(caller.team_id, "project_created" if created else "project_updated",
                    f"project {slug} {'created' if created else 'updated'}")
    return Response(body=project.model_dump(mode="json"), status_code=201 if created else 200,
                    headers={"Content-Type": "application/json"})


@route(blueprint, "/api/projects/{slug}", "DELETE", "Delete a project", role="admin", response=ProjectDeleted,
       tag="projects")
def delete_project(caller: Principal, slug: str) -> ProjectDeleted:
    try:
        projects.delete(caller.team_id, slug)
    except NotFound as error:
        raise NotFoundError(str(error)) from error
    activity.record(caller.team_id, "project_deleted", f"project {slug} deleted")
    return ProjectDeleted(deleted=slug)
