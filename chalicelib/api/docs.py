"""/openapi.json and /docs (Swagger UI, its assets served from this app, not a CDN)."""

from __future__ import annotations

from pathlib import Path

from chalice import Blueprint, Response

from chalicelib.api.errors import NotFoundError
from chalicelib.api.openapi import document
from chalicelib.api.routing import route

blueprint = Blueprint(__name__)

ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "application/javascript",
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unified AI Software Factory API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>
"""


def _asset_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


@route(blueprint, "/openapi.json", "GET", "This API's OpenAPI 3 document", role=None, tag="system")
def openapi_json(_caller: None) -> dict:
    return document()


@route(blueprint, "/docs", "GET", "Interactive API documentation", role=None, tag="system")
def docs_page(_caller: None) -> Response:
    return Response(body=PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@route(blueprint, "/docs/assets/{name}", "GET", "Documentation assets", role=None, tag="system")
def docs_asset(_caller: None, name: str) -> Response:
    if name not in ASSETS:
        raise NotFoundError(f"no asset {name!r}")
    text = (_asset_dir() / name).read_text(encoding="utf-8")
    return Response(body=text, status_code=200, headers={"Content-Type": ASSETS[name], "Cache-Control": "max-age=86400"})
