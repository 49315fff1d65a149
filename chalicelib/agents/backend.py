"""backend: the API or data plan for the chosen backend (skipped for on-device storage)."""

from __future__ import annotations

import yaml

from chalicelib.agents.specs import load_product_spec
from chalicelib.flutter.generator_dart import collection_path
from chalicelib.flutter.spec import Entity, ProductSpec
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome

_SCHEMA_TYPES = {"String": {"type": "string"}, "int": {"type": "integer"},
                 "double": {"type": "number"}, "bool": {"type": "boolean"},
                 "DateTime": {"type": "string", "format": "date-time"}}
_SQL_TYPES = {"String": "text", "int": "integer", "double": "double precision", "bool": "boolean",
              "DateTime": "timestamptz"}


def _schema(entity: Entity) -> dict:
    props = {"id": {"type": "string"}} | {f.name: dict(_SCHEMA_TYPES[f.dart_type]) for f in entity.fields}
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


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Write the backend documents for firebase, supabase or rest; skip for none."""
    spec = load_product_spec(ctx)
    if spec.backend == "none":
        return PhaseOutcome(status="skipped", summary="No backend: data stays on the device")
    outputs = ["docs/backend_plan.md"]
    ctx.workspace.write("docs/backend_plan.md", backend_plan(spec))
    if spec.backend == "rest":
        ctx.workspace.write("docs/openapi.yaml", yaml.safe_dump(openapi(spec), sort_keys=False,
                                                                  allow_unicode=True))
        outputs.append("docs/openapi.yaml")
    return PhaseOutcome(summary=f"{spec.backend} plan for {len(spec.entities)} entities",
                        outputs=outputs)
