"""The OpenAPI 3 document, generated from the same pydantic models the routes validate with."""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter

from chalicelib import config
from chalicelib.api.routing import ROUTE_DOCS
from chalicelib.domain.system import ErrorBody

REF_TEMPLATE = "#/components/schemas/{model}"


def _schema(annotation: Any, components: dict) -> dict:
    schema = TypeAdapter(annotation).json_schema(ref_template=REF_TEMPLATE, mode="serialization")
    components.update(schema.pop("$defs", {}))
    if isinstance(annotation, type) and "title" in schema and schema.get("type") == "object":
        components[annotation.__name__] = schema
        return {"$ref": REF_TEMPLATE.format(model=annotation.__name__)}
    return schema


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorBody")}}}}


def document() -> dict:
    """The whole contract: every declared route with its body, response, auth and errors."""
    components: dict[str, Any] = {"ErrorBody": ErrorBody.model_json_schema()}
    paths: dict[str, dict] = {}
    for doc in ROUTE_DOCS:
        operation: dict[str, Any] = {
            "summary": doc.summary,
            "tags": [doc.tag],
            "operationId": f"{doc.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', doc.path.lower()).strip('_')}",
            "responses": {"400": _error("Bad request"), "404": _error("Not found")},
        }
        success: dict[str, Any] = {"description": "Success"}
        if doc.response is not None:
            success["content"] = {"application/json": {"schema": _schema(doc.response, components)}}
        elif doc.path.endswith("/download"):
            success["content"] = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
        operation["responses"][str(doc.status)] = success
        if doc.role:
            operation["security"] = [{"bearer": []}]
            operation["responses"]["401"] = _error("Missing or invalid token")
            operation["responses"]["403"] = _error(f"Requires role {doc.role}")
            operation["x-required-role"] = doc.role
        else:
            operation["security"] = []
        if doc.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(doc.body, components)}}}
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", doc.path)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
            for name, text in doc.query.items()
        ]
        if parameters:
            operation["parameters"] = parameters
        paths.setdefault(doc.path, {})[doc.method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": config.SERVICE_NAME, "version": config.VERSION},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
