"""Settings read from the environment, with local-stage defaults.

Read on each call (cheap) rather than cached at import, so tests and the embedded stack can
point the same process at different ports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

LOCAL_STAGE = "local"
DEV_JWT_SECRET = "local-dev-jwt-secret-not-for-production-use"
DEV_ADMIN_API_KEY = "local-admin-key"
VERSION = "1.0.0"
SERVICE_NAME = "Unified AI Software Factory API Backend"


class ConfigError(RuntimeError):
    """The deployment is misconfigured (for example a dev secret outside the local stage)."""


@dataclass(frozen=True)
class Settings:
    """Where the app's resources live and the secrets it uses."""

    stage: str
    region: str
    endpoint_url: str | None
    resource_prefix: str
    bucket: str
    queue_name: str
    state_machine_arn: str
    run_phase_function: str
    admin_api_key: str | None
    jwt_secret: str

    def table(self, name: str) -> str:
        """The physical name of one of the app's DynamoDB tables."""
        return f"{self.resource_prefix}-{name}"


def load() -> Settings:
    """Build the settings from the environment; refuses a dev JWT secret outside `local`."""
    stage = os.environ.get("STAGE", LOCAL_STAGE)
    local = stage == LOCAL_STAGE
    prefix = os.environ.get("RESOURCE_PREFIX", f"factory-{stage}")
    region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
    account = os.environ.get("AWS_ACCOUNT_ID", "123456789012")
    jwt_secret = os.environ.get("JWT_SECRET") or (DEV_JWT_SECRET if local else "")
    if not local and (len(jwt_secret) < 32 or jwt_secret == DEV_JWT_SECRET):
        raise ConfigError("JWT_SECRET must be set to a real secret of at least 32 characters outside the local stage")
    admin_key = os.environ.get("ADMIN_API_KEY") or (DEV_ADMIN_API_KEY if local else None)
    state_machine = os.environ.get(
        "STATE_MACHINE_ARN",
        f"arn:aws:states:{region}:{account}:stateMachine:{prefix}-pipeline",
    )
    return Settings(
        stage=stage,
        region=region,
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        resource_prefix=prefix,
        bucket=os.environ.get("BUCKET_NAME", f"{prefix}-artifacts"),
        queue_name=os.environ.get("JOBS_QUEUE_NAME", f"{prefix}-jobs"),
        state_machine_arn=state_machine,
        run_phase_function=os.environ.get("RUN_PHASE_FUNCTION", "run_phase"),
        admin_api_key=admin_key,
        jwt_secret=jwt_secret,
    )
