"""System endpoints: health, readiness, service info, status."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import config
from chalicelib.api.routing import route
from chalicelib.domain.system import ApiInfo, Health, Ready, StorageStatus, SystemStatus
from chalicelib.store import schema
from chalicelib.store.health import storage_reachable

blueprint = Blueprint(__name__)


@route(blueprint, "/health", "GET", "Liveness", role=None, response=Health, tag="system")
def health(_caller: None) -> Health:
    return Health()


@route(blueprint, "/ready", "GET", "Readiness: reaches the DynamoDB tables and the S3 bucket", role=None,
       response=Ready, tag="system")
def ready(_caller: None) -> Response:
    error = storage_reachable()
    if error:
        return Response(body=Ready(status="not_ready", error=error).model_dump(), status_code=503)
    return Response(body={"status": "ready"}, status_code=200)


@route(blueprint, "/api", "GET", "Service information", role=None, response=ApiInfo, tag="system")
def api_info(_caller: None) -> ApiInfo:
    return ApiInfo(service=config.SERVICE_NAME, version=config.VERSION)


@route(blueprint, "/api/system/status", "GET", "Deployment status", response=SystemStatus, tag="system")
def system_status(_caller) -> SystemStatus:
    settings = config.load()
    reachable = storage_reachable() is None
    return SystemStatus(
        status="ok" if reachable else "degraded",
        version=config.VERSION,
        storage=StorageStatus(
            tables={table.name: settings.table(table.name) for table in schema.TABLES},
            bucket=settings.bucket,
            reachable=reachable,
        ),
        state_machine=settings.state_machine_arn,
        region=settings.region,
    )
