"""Readiness: does the app really reach its storage?"""

from __future__ import annotations

from chalicelib import config
from chalicelib.store import aws


def storage_reachable() -> str | None:
    """None when the jobs table and the bucket answer; otherwise what failed."""
    settings = config.load()
    try:
        aws.dynamodb().describe_table(TableName=settings.table("jobs"))
    except Exception as error:  # readiness reports any failure instead of raising it
        return f"DynamoDB table {settings.table('jobs')} unreachable: {type(error).__name__}"
    try:
        aws.s3().head_bucket(Bucket=settings.bucket)
    except Exception as error:
        return f"S3 bucket {settings.bucket} unreachable: {type(error).__name__}"
    return None
