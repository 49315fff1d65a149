"""Settings read from the environment, with local-stage defaults.

Read on each call (cheap) rather than cached at import, so tests and the embedded stack can
point the same process at different ports. Outside `local`, a secret comes from its environment
variable or, when `<NAME>_PARAMETER` names one, from an SSM Parameter Store SecureString (read
once per container: a rotated secret takes effect on the next cold start).
"""

from __future__ import annotations

import functools
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


def resource_prefix() -> str:
    """The prefix of every physical resource name (tables, queue): the stage's RESOURCE_PREFIX."""
    return os.environ.get("RESOURCE_PREFIX") or f"factory-{os.environ.get('STAGE', LOCAL_STAGE)}"


def jobs_queue_name() -> str:
    """The jobs queue's name; app.py names it to Chalice when packaging, the code uses it at run time."""
    return os.environ.get("JOBS_QUEUE_NAME") or f"{resource_prefix()}-jobs"


@functools.lru_cache(maxsize=8)
def _parameter(name: str, region: str, endpoint_url: str | None) -> str:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    ssm = boto3.session.Session().client("ssm", region_name=region, endpoint_url=endpoint_url)
    try:
        return ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    except (BotoCoreError, ClientError) as error:
        raise ConfigError(f"SSM parameter {name} could not be read: {error}") from error


def _secret(variable: str, region: str, endpoint_url: str | None) -> str | None:
    """A secret from `variable`, else from the SSM parameter that `<variable>_PARAMETER` names."""
    value = os.environ.get(variable)
    if value:
        return value
    parameter = os.environ.get(f"{variable}_PARAMETER")
    return _parameter(parameter, region, endpoint_url) if parameter else None


def load() -> Settings:
    """Build the settings from the environment; refuses a dev JWT secret outside `local`."""
    stage = os.environ.get("STAGE", LOCAL_STAGE)
    local = stage == LOCAL_STAGE
    prefix = resource_prefix()
    region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"
    endpoint_url = os.environ.get("AWS_ENDPOINT_URL") or None
    account = os.environ.get("AWS_ACCOUNT_ID", "123456789012")
    jwt_secret = _secret("JWT_SECRET", region, endpoint_url) or (DEV_JWT_SECRET if local else "")
    if not local and (len(jwt_secret) < 32 or jwt_secret == DEV_JWT_SECRET):
        raise ConfigError("JWT_SECRET must be set to a real secret of at least 32 characters outside the local stage")
    admin_key = _secret("ADMIN_API_KEY", region, endpoint_url) or (DEV_ADMIN_API_KEY if local else None)
    state_machine = os.environ.get(
        "STATE_MACHINE_ARN",
        f"arn:aws:states:{region}:{account}:stateMachine:{prefix}-pipeline",
    )
    return Settings(
        stage=stage,
        region=region,
        endpoint_url=endpoint_url,
        resource_prefix=prefix,
        bucket=os.environ.get("BUCKET_NAME", f"{prefix}-artifacts"),
        queue_name=jobs_queue_name(),
        state_machine_arn=state_machine,
        run_phase_function=os.environ.get("RUN_PHASE_FUNCTION", "run_phase"),
        admin_api_key=admin_key,
        jwt_secret=jwt_secret,
    )
