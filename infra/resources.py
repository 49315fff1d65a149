"""The app's AWS resources, from one set of definitions used by both the template and the emulator."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import config
from chalicelib.pipeline.request_files import REQUEST_PREFIX, REQUEST_SUFFIX
from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES, table_definition

MAX_RECEIVE_COUNT = 5
QUEUE_VISIBILITY_SECONDS = 120
DLQ_RETENTION_SECONDS = 14 * 86400
# S3 tells the jobs queue about every object created under requests/ ending in .json.
REQUEST_EVENT = "s3:ObjectCreated:*"
REQUEST_FILTER_RULES = (("prefix", REQUEST_PREFIX), ("suffix", REQUEST_SUFFIX))


def request_notification(queue_arn: str) -> dict[str, Any]:
    """The bucket's notification of request files to the jobs queue, in boto3's shape."""
    return {"QueueConfigurations": [{
        "QueueArn": queue_arn,
        "Events": [REQUEST_EVENT],
        "Filter": {"Key": {"FilterRules": [{"Name": name, "Value": value} for name, value in REQUEST_FILTER_RULES]}},
    }]}


def run_phase_arn(settings: config.Settings, account: str = "123456789012") -> str:
    return f"arn:aws:lambda:{settings.region}:{account}:function:{settings.run_phase_function}"


def queue_attributes(dlq_arn: str) -> dict[str, str]:
    return {
        "VisibilityTimeout": str(QUEUE_VISIBILITY_SECONDS),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}),
    }


def create_all(clients: Any, settings: config.Settings) -> None:
    """Create tables, bucket, queue + DLQ, the bucket's notification to the queue and the state machine
    in the emulator (once per reset)."""
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
    queue_url = sqs.create_queue(QueueName=settings.queue_name, Attributes=queue_attributes(dlq_arn))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=settings.bucket, NotificationConfiguration=request_notification(queue_arn))
    sqs.purge_queue(QueueUrl=queue_url)  # S3 greets a new notification with an s3:TestEvent; start empty
    sfn.create_state_machine(
        name=settings.state_machine_arn.rsplit(":", 1)[-1],
        definition=json.dumps(build_definition(run_phase_arn(settings))),
        roleArn="arn:aws:iam::123456789012:role/factory-state-machine",
    )
