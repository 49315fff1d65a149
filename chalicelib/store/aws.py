"""boto3 clients and resources, created lazily and once per container (cold-start cost)."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib import config


@functools.lru_cache(maxsize=32)
def _client(service: str, region: str, endpoint_url: str | None) -> Any:
    import boto3
    from botocore.config import Config

    retries = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    return boto3.session.Session().client(
        service, region_name=region, endpoint_url=endpoint_url, config=retries
    )


def client(service: str) -> Any:
    """A boto3 client for `service` pointed at the configured endpoint (emulator or AWS)."""
    settings = config.load()
    return _client(service, settings.region, settings.endpoint_url)


def dynamodb() -> Any:
    return client("dynamodb")


def s3() -> Any:
    return client("s3")


def sqs() -> Any:
    return client("sqs")


def sfn() -> Any:
    return client("stepfunctions")
