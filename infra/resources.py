"""The app's AWS resources, from one set of definitions used by both the template and the emulator."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import config
from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES, table_definition

MAX_RECEIVE_COUNT = 5
QUEUE_VISIBILITY_SECONDS = 120
DLQ_RETENTION_SECONDS = 14 * 86400


def run_phase_arn(settings: config.Settings, account: str = "123456789012") -> str:
    return f"arn:aws:lambda:{settings.region}:{account}:function:{settings.run_phase_function}"


def queue_attributes(dlq_arn: str) -> dict[str, str]:
    return {
        "VisibilityTimeout": str(QUEUE_VISIBILITY_SECONDS),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}),
    }


def create_all(clients: Any, settings: config.Settings) -> None:
    """Create tables, bucket, queue + DLQ and state machine in the emulator (idempotent per reset)."""
    dynamodb, s3, sqs, sfn = clients("dynamodb"), clients("s3"), clients("sqs"), clients("stepfunctions")
    for table in TABLES:
        dynamodb.create_table(**table_definition(table, settings.table(table.name)))
        if table.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=settings.table(table.name),
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
    if settings.region == "us-east-1":
        s3.create_bucket(Bucket=settings.bucket)
    else:
        s3.create_bucket(Bucket=settings.bucket, CreateBucketConfiguration={"LocationConstraint": settings.region})
    s3.put_bucket_versioning(Bucket=settings.bucket, VersioningConfiguration={"Status": "Enabled"})
    dlq_url = sqs.create_queue(
        QueueName=f"{settings.queue_name}-dlq", Attributes={"MessageRetentionPeriod": str(DLQ_RETENTION_SECONDS)}
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName=settings.queue_name, Attributes=queue_attributes(dlq_arn))
    sfn.create_state_machine(
        name=settings.state_machine_arn.rsplit(":", 1)[-1],
        definition=json.dumps(build_definition(run_phase_arn(settings))),
        roleArn="arn:aws:iam::123456789012:role/factory-state-machine",
    )
