"""backend: the API or data plan for the chosen backend (skipped for on-device storage)."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from chalicelib.agents.answers import ask_model, extract_document, parse_markdown, quote_job, spec_block
from chalicelib.agents.specs import load_product_spec
from chalicelib.flutter.generator_dart import collection_path
from chalicelib.flutter.spec import Entity, EntityField, ProductSpec
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome

_SCHEMA_TYPES = {"String": {"type": "string"}, "int": {"type": "integer"},
                 "double": {"type": "number"}, "bool": {"type": "boolean"},
                 "DateTime": {"type": "string", "format": "date-time"}}
_SQL_TYPES = {"String": "text", "int": "integer", "double": "double precision", "bool": "boolean",
              "DateTime": "timestamptz"}


def _field_schema(field: EntityField) -> dict:
    """A property schema; a field with choices lists its enum member names (what JSON stores)."""
    schema = dict(_SCHEMA_TYPES[field.dart_type])
    if field.choices:
        schema["enum"] = field.enum_members()
        schema["description"] = "One of: " + ", ".join(
            member if member == choice else f"{member} ({choice})"
            for member, choice in zip(field.enum_members(), field.choices, strict=True))
    return schema


def _schema(entity: Entity) -> dict:
    props = {"id": {"type": "string"}} | {f.name: _field_schema(f) for f in entity.fields}
    required = ["id"] + [f.name for f in entity.fields if f.required]
    return {"type": "object", "properties": props, "required": required}


def openapi(spec: ProductSpec) -> dict:
    """OpenAPI 3 document matching the generated Dart API client's paths."""
    paths: dict = {}
    bearer = [{"bearerAuth": []}]
    for entity in spec.entities:
        ref = {"$ref": f"#/components/schemas/{entity.name}"}
        base = collection_path(entity)
        paths[base] = {"get": {"summary": f"List {entity.plural_label.lower()}", "security": bearer,
                               "responses": {"200": {"description": "OK", "content": {
                                   "application/json": {"schema": {"type": "array", "items": ref}}}}}}}
        item = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
        paths[f"{base}/{{id}}"] = {
            "parameters": [item],
            "get": {"summary": "Get one", "security": bearer, "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": ref}}},
                "404": {"description": "Not found"}}},
            "put": {"summary": "Create or replace", "security": bearer,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                    "responses": {"204": {"description": "Saved"}}},
            "delete": {"summary": "Delete", "security": bearer,
                       "responses": {"204": {"description": "Deleted"}}}}
    if any(f.kind == "auth" for f in spec.features):
        paths["/auth/token"] = {"post": {"summary": "Sign in", "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "object", "required": ["email", "password"],
                                            "properties": {"email": {"type": "string"},
                                                           "password": {"type": "string"}}}}}},
            "responses": {"200": {"description": "Signed in", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"token": {"type": "string"}}}}}},
                          "401": {"description": "Wrong credentials"}}}}
    return {"openapi": "3.0.3", "info": {"title": spec.app_name, "version": "1.0.0"},
            "servers": [{"url": "https://api.example.com"}], "paths": paths,
            "components": {"schemas": {e.name: _schema(e) for e in spec.entities},
                           "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}}


def backend_plan(spec: ProductSpec) -> str:
    """Collections or tables, access rules and configuration steps."""
    lines = [f"# Backend plan ({spec.backend})\n"]
    if spec.backend == "firebase":
        lines.append("## Cloud Firestore collections\n")
        for e in spec.entities:
            fields = ", ".join(f"`{f.name}` ({f.dart_type})" for f in e.fields)
            lines.append(f"- `{e.collection}`: document id = item id; {fields}")
        lines.append("\n## Security rules\n\n```\nrules_version = '2';\nservice cloud.firestore {\n"
                     "  match /databases/{database}/documents {\n    match /{collection}/{id} {\n"
                     "      allow read, write: if request.auth != null;\n    }\n  }\n}\n```\n")
        lines.append("## Configuration\n\n1. `flutterfire configure`\n2. Enable Email/Password "
                     "sign-in\n3. Deploy the rules above\n")
    elif spec.backend == "supabase":
        lines.append("## Tables\n")
        for e in spec.entities:
            cols = ",\n".join(f'  "{f.name}" {_SQL_TYPES[f.dart_type]}{" not null" if f.required else ""}'
                              for f in e.fields)
            lines.append(f"```sql\ncreate table {e.collection} (\n  id text primary key,\n{cols}\n);\n"
                         f"alter table {e.collection} enable row level security;\n"
                         f"create policy \"signed in users\" on {e.collection} for all "
                         "to authenticated using (true) with check (true);\n```\n")
        lines.append("## Configuration\n\nRun with `--dart-define=SUPABASE_URL=...` and "
                     "`--dart-define=SUPABASE_ANON_KEY=...`.\n")
    else:
        lines.append("The API is specified in `docs/openapi.yaml`; the app's `ApiClient` calls "
                     "exactly these paths with a bearer token from `POST /auth/token`.\n")
        for e in spec.entities:
            lines.append(f"- `{collection_path(e)}` and `{collection_path(e)}/{{id}}`: {e.plural_label}")
    return "\n".join(lines) + "\n"


_PLAN_SECTIONS = {"firebase": ("Cloud Firestore collections", "Security rules", "Configuration"),
                  "supabase": ("Tables", "Configuration"), "rest": ()}
_PLAN_CONTENT = {
    "firebase": ("a '## Cloud Firestore collections' section naming each entity's collection and its fields, "
                 "'## Security rules' with the Firestore rules in a code block (signed-in users only), and "
                 "'## Configuration' with the setup steps (flutterfire configure, sign-in method, deploying the rules)"),
    "supabase": ("a '## Tables' section with one `create table` SQL block per entity (row level security enabled, "
                 "a policy for authenticated users), and '## Configuration' with the --dart-define values the app needs"),
    "rest": ("a short description of the REST API the app's ApiClient calls (bearer token from POST /auth/token) "
             "and one bullet per entity naming its collection path and item path"),
}


def _names(spec: ProductSpec) -> list[str]:
    """What the plan must name for each entity: its collection (or its REST path)."""
    return [collection_path(e) if spec.backend == "rest" else e.collection for e in spec.entities]


def _job_data(ctx: PhaseContext) -> str:
    return f"{quote_job('App name', ctx.job.name)}\n{quote_job('Description', ctx.job.description)}"


def _plan_prompt(ctx: PhaseContext, spec: ProductSpec) -> str:
    names = ", ".join(f"`{n}`" for n in _names(spec))
    return (f"Write the backend plan of a Flutter app whose backend is {spec.backend}.\n\n{_job_data(ctx)}\n\n"
            f"{spec_block(spec.model_dump_json(indent=2))}\n\n"
            f"Answer with one Markdown document starting with the title line '# Backend plan ({spec.backend})', "
            f"then {_PLAN_CONTENT[spec.backend]}. Name every entity's collection exactly as given: {names}.")


def _openapi_prompt(ctx: PhaseContext, spec: ProductSpec) -> str:
    paths = ", ".join(_required_paths(spec))
    return (f"Write the OpenAPI 3 document of the REST API this Flutter app calls.\n\n{_job_data(ctx)}\n\n"
            f"{spec_block(spec.model_dump_json(indent=2))}\n\n"
            f"The app's ApiClient calls exactly these paths: {paths}. Each collection path has GET (list); each "
            "item path has GET, PUT (create or replace) and DELETE; every entity is a schema under "
            "components/schemas with its fields typed; bearer authentication. "
            "Answer with the OpenAPI document as YAML in one ```yaml code block.")


def _required_paths(spec: ProductSpec) -> list[str]:
    paths = [p for e in spec.entities for p in (collection_path(e), f"{collection_path(e)}/{{id}}")]
    if any(f.kind == "auth" for f in spec.features):
        paths.append("/auth/token")
    return paths


def parse_openapi(spec: ProductSpec) -> Callable[[str], dict]:
    """A parser for the OpenAPI answer: a mapping with `openapi` 3.x and `paths` holding every path the client calls."""

    def parse(text: str) -> dict:
        document = extract_document(text)
        version = str(document.get("openapi", ""))
        if not version.startswith("3"):
            raise ValueError(f"the document's `openapi` field must be a 3.x version, not {version or 'missing'!r}")
        paths = document.get("paths")
        if not isinstance(paths, dict) or not paths:
            raise ValueError("the document has no `paths` mapping")
        missing = [p for p in _required_paths(spec) if p not in paths]
        if missing:
            raise ValueError(f"`paths` lacks {', '.join(missing)}, which the app's ApiClient calls")
        return document

    return parse


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Ask for the backend documents for firebase, supabase or rest; skip for none."""
    spec = load_product_spec(ctx)
    if spec.backend == "none":
        return PhaseOutcome(status="skipped", summary="No backend: data stays on the device")
    outputs = ["docs/backend_plan.md"]
    plan = ask_model(ctx, "backend_plan", _plan_prompt(ctx, spec), lambda: backend_plan(spec),
                     parse_markdown(f"Backend plan ({spec.backend})", _PLAN_SECTIONS[spec.backend], _names(spec)),
                     f"the Markdown backend plan starting with '# Backend plan ({spec.backend})'")
    assert isinstance(plan, str)
    ctx.workspace.write("docs/backend_plan.md", plan)
    if spec.backend == "rest":
        document = ask_model(ctx, "openapi", _openapi_prompt(ctx, spec),
                             lambda: yaml.safe_dump(openapi(spec), sort_keys=False, allow_unicode=True),
                             parse_openapi(spec), "the OpenAPI 3 document as YAML in one ```yaml code block")
        ctx.workspace.write("docs/openapi.yaml", yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        outputs.append("docs/openapi.yaml")
    return PhaseOutcome(summary=f"{spec.backend} plan for {len(spec.entities)} entities",
                        outputs=outputs)
