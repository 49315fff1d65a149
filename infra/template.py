"""The CloudFormation merge template, generated from the same definitions the emulator uses.

`chalice package --merge-template` deep-merges it into Chalice's SAM template: tables, the jobs
queue and its DLQ, the artifacts bucket, the state machine (its definition from the phase
registry, the run_phase ARN substituted), the IAM grants, and API Gateway's error responses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES, table_definition
from infra.resources import DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT, QUEUE_VISIBILITY_SECONDS

TEMPLATE_PATH = Path(__file__).resolve().parent / "merge-template.json"
RUN_PHASE_PLACEHOLDER = "${RunPhaseArn}"


def _logical(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def _table_resource(table) -> dict:
    properties = table_definition(table, "placeholder")
    properties["TableName"] = {"Fn::Sub": f"${{AWS::StackName}}-{table.name}"}
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["SSESpecification"] = {"SSEEnabled": True}
    if table.ttl_attribute:
        properties["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": properties}


def _gateway_response(status: str, message: str) -> dict:
    return {
        "statusCode": status,
        "responseTemplates": {"application/json": json.dumps({"detail": message})},
    }


def build_template() -> dict:
    resources: dict[str, dict] = {}
    for table in TABLES:
        resources[f"{_logical(table.name)}Table"] = _table_resource(table)
    resources["JobsDeadLetterQueue"] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {"MessageRetentionPeriod": DLQ_RETENTION_SECONDS, "SqsManagedSseEnabled": True},
    }
    resources["JobsQueue"] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {
            "QueueName": {"Fn::Sub": "${AWS::StackName}-jobs"},
            "VisibilityTimeout": QUEUE_VISIBILITY_SECONDS,
            "SqsManagedSseEnabled": True,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
                              "maxReceiveCount": MAX_RECEIVE_COUNT},
        },
    }
    resources["ArtifactsBucket"] = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                               "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        },
    }
    definition = json.dumps(build_definition(RUN_PHASE_PLACEHOLDER), indent=2, sort_keys=True)
    resources["PipelineStateMachine"] = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "StateMachineName": {"Fn::Sub": "${AWS::StackName}-pipeline"},
            "RoleArn": {"Fn::GetAtt": ["PipelineStateMachineRole", "Arn"]},
            "DefinitionString": {"Fn::Sub": [definition, {"RunPhaseArn": {"Fn::GetAtt": ["RunPhase", "Arn"]}}]},
        },
    }
    resources["PipelineStateMachineRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "InvokeRunPhase", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": [{"Fn::GetAtt": ["RunPhase", "Arn"]}, {"Fn::Sub": "${RunPhase.Arn}:*"}]}]}}],
        },
    }
    return {
        "Resources": resources,
        "Outputs": {
            "StateMachineArn": {"Value": {"Ref": "PipelineStateMachine"}},
            "ArtifactsBucketName": {"Value": {"Ref": "ArtifactsBucket"}},
            "JobsQueueUrl": {"Value": {"Ref": "JobsQueue"}},
        },
    }


def render() -> str:
    return json.dumps(build_template(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    TEMPLATE_PATH.write_text(render())
    sys.stdout.write(f"wrote {TEMPLATE_PATH.name}\n")
