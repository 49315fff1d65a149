"""The CloudFormation merge template, generated from the same definitions the emulator uses.

`chalice package --merge-template` deep-merges it into Chalice's SAM template (dicts merge, lists
and scalars replace): tables, the jobs queue and its DLQ, the artifacts bucket and its request-file
notification, the state machine (its definition from the phase registry, the run_phase ARN
substituted), one IAM policy per function, the environment the code reads, partial batch failures
on the SQS event source, and API Gateway's error responses.

Physical names derive from the stack name, which is the stage's RESOURCE_PREFIX (`factory-dev`):
tables `${AWS::StackName}-{table}` and the queue `${AWS::StackName}-jobs`, which is the name app.py
gives `on_sqs_message` when Chalice packages the stage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from chalicelib.pipeline.request_files import ERROR_SUFFIX, REQUEST_PREFIX, RESULT_SUFFIX
from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES, table_definition
from infra.resources import (
    DLQ_RETENTION_SECONDS,
    MAX_RECEIVE_COUNT,
    QUEUE_VISIBILITY_SECONDS,
    REQUEST_EVENT,
    REQUEST_FILTER_RULES,
)

TEMPLATE_PATH = Path(__file__).resolve().parent / "merge-template.json"
RUN_PHASE_PLACEHOLDER = "${RunPhaseArn}"
# Logical ids Chalice generates: functions from their names, roles from `{function}_role` (with
# `autogen_policy: false` each function gets its own role), the SQS event from the handler name.
API_FUNCTION, START_JOB_FUNCTION, RUN_PHASE_FUNCTION = "APIHandler", "StartJob", "RunPhase"
ROLES = {API_FUNCTION: "ApiHandlerRole", START_JOB_FUNCTION: "StartJobRole", RUN_PHASE_FUNCTION: "RunPhaseRole"}
SQS_EVENT = "StartJobSqsEventSource"
API_LOG_GROUP = "ApiHandlerLogGroup"  # from `log_retention_in_days` in .chalice/config.json
REST_API = "RestAPI"
STATE_MACHINE_NAME = "${AWS::StackName}-pipeline"
BUCKET_NAME = "${AWS::StackName}-artifacts-${AWS::AccountId}-${AWS::Region}"
SECRET_PARAMETERS = {"JWT_SECRET_PARAMETER": "/${AWS::StackName}/jwt-secret",
                     "ADMIN_API_KEY_PARAMETER": "/${AWS::StackName}/admin-api-key"}
APPS_OBJECTS = "apps/*"  # every job's files and ZIP (chalicelib.store.files.job_prefix)


def logical_table(name: str) -> str:
    """The logical id of one of the app's tables (`jobs` -> `JobsTable`)."""
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_")) + "Table"


def _table_resource(table) -> dict:
    properties = table_definition(table, "placeholder")
    properties["TableName"] = {"Fn::Sub": f"${{AWS::StackName}}-{table.name}"}
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["SSESpecification"] = {"SSEEnabled": True}
    if table.ttl_attribute:
        properties["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": properties}


def _gateway_responses() -> dict:
    """API Gateway's own answers in the error contract: an unknown route is 404, every other `{"detail"}`."""
    message = '{"detail": $context.error.messageString}'
    return {
        "MISSING_AUTHENTICATION_TOKEN": {
            "statusCode": "404",
            "responseTemplates": {"application/json": json.dumps({"detail": "no such route or method"})},
        },
        "DEFAULT_4XX": {"responseTemplates": {"application/json": message}},
        "DEFAULT_5XX": {"responseTemplates": {"application/json": message}},
    }


def _sub(text: str) -> dict:
    return {"Fn::Sub": text}


def _allow(actions: list[str], resources: list[Any], condition: dict | None = None) -> dict:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def _policy(function: str, statements: list[dict]) -> dict:
    return {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": f"{function}Access",
        "Roles": [{"Ref": ROLES[function]}],
        "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
    }}


def _table_arns() -> list[Any]:
    arns: list[Any] = []
    for table in TABLES:
        logical = logical_table(table.name)
        arns.append({"Fn::GetAtt": [logical, "Arn"]})
        if table.indexes:
            arns.append(_sub(f"${{{logical}.Arn}}/index/*"))
    return arns


ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"]
BUCKET = "arn:${AWS::Partition}:s3:::${ArtifactsBucket}"
QUEUE_ARN = {"Fn::GetAtt": ["JobsQueue", "Arn"]}
STATE_MACHINE_ARN = _sub(f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{STATE_MACHINE_NAME}")
EXECUTIONS_ARN = _sub(f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:{STATE_MACHINE_NAME}:*")


def _secret_statement(*variables: str) -> dict:
    parameters = [_sub(f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{SECRET_PARAMETERS[name]}")
                  for name in variables]
    return _allow(["ssm:GetParameter"], parameters)


def _iam_policies() -> dict[str, dict]:
    """Each function gets only what it calls (the log permissions are in .chalice/policy-lambda-logs.json)."""
    apps = _sub(f"{BUCKET}/{APPS_OBJECTS}")
    api = [
        _allow(ITEM_ACTIONS + ["dynamodb:DescribeTable"], _table_arns()),
        _allow(["s3:ListBucket", "s3:ListBucketVersions"], [_sub(BUCKET)]),
        _allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"], [apps]),
        _allow(["sqs:SendMessage", "sqs:GetQueueUrl"], [QUEUE_ARN]),
        _allow(["states:StartExecution"], [STATE_MACHINE_ARN]),
        _allow(["states:StopExecution", "states:DescribeExecution"], [EXECUTIONS_ARN]),
        # Task-token calls take no resource: IAM only allows them on "*".
        _allow(["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"], ["*"]),
        _secret_statement("JWT_SECRET_PARAMETER", "ADMIN_API_KEY_PARAMETER"),
    ]
    requests = _sub(f"{BUCKET}/{REQUEST_PREFIX}*")
    start_job = [
        _allow(ITEM_ACTIONS, _table_arns()),
        _allow(["s3:GetObject", "s3:GetObjectVersion"], [requests]),
        _allow(["s3:PutObject"], [_sub(f"{BUCKET}/{REQUEST_PREFIX}*{RESULT_SUFFIX}"),
                                  _sub(f"{BUCKET}/{REQUEST_PREFIX}*{ERROR_SUFFIX}")]),
        # The event source mapping reads the queue; a request file's job is enqueued like any other.
        _allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility",
                "sqs:SendMessage", "sqs:GetQueueUrl"], [QUEUE_ARN]),
        _allow(["states:StartExecution"], [STATE_MACHINE_ARN]),
        _secret_statement("JWT_SECRET_PARAMETER"),
    ]
    run_phase = [
        _allow(ITEM_ACTIONS, _table_arns()),
        _allow(["s3:ListBucket"], [_sub(BUCKET)], {"StringLike": {"s3:prefix": [APPS_OBJECTS]}}),
        _allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], [apps]),
        _secret_statement("JWT_SECRET_PARAMETER"),
    ]
    return {f"{API_FUNCTION}Access": _policy(API_FUNCTION, api),
            f"{START_JOB_FUNCTION}Access": _policy(START_JOB_FUNCTION, start_job),
            f"{RUN_PHASE_FUNCTION}Access": _policy(RUN_PHASE_FUNCTION, run_phase)}


def _environment(function: str) -> dict:
    """The variables chalicelib.config reads, wired to this stack's resources."""
    variables: dict[str, Any] = {
        "RESOURCE_PREFIX": {"Ref": "AWS::StackName"},
        "BUCKET_NAME": {"Ref": "ArtifactsBucket"},
        "JOBS_QUEUE_NAME": {"Fn::GetAtt": ["JobsQueue", "QueueName"]},
        "JWT_SECRET_PARAMETER": _sub(SECRET_PARAMETERS["JWT_SECRET_PARAMETER"]),
    }
    if function == RUN_PHASE_FUNCTION:
        # The state machine refers to RunPhase, so RunPhase names the state machine by its ARN (no cycle).
        variables["STATE_MACHINE_ARN"] = STATE_MACHINE_ARN
    else:
        variables["STATE_MACHINE_ARN"] = {"Ref": "PipelineStateMachine"}
        variables["RUN_PHASE_FUNCTION"] = {"Ref": RUN_PHASE_FUNCTION}
    if function == API_FUNCTION:
        variables["ADMIN_API_KEY_PARAMETER"] = _sub(SECRET_PARAMETERS["ADMIN_API_KEY_PARAMETER"])
    return variables


def _function_overrides() -> dict[str, dict]:
    """Merged onto Chalice's functions: environment, no function before its permissions, partial batch
    failures, and the API log group's function name."""
    overrides = {
        function: {"Type": "AWS::Serverless::Function", "DependsOn": [f"{function}Access"],
                   "Properties": {"Environment": {"Variables": _environment(function)}}}
        for function in ROLES
    }
    # Chalice cannot ask for partial batch failures; merging adds it next to Chalice's own `Queue`.
    overrides[START_JOB_FUNCTION]["Properties"]["Events"] = {
        SQS_EVENT: {"Properties": {"FunctionResponseTypes": ["ReportBatchItemFailures"]}}}
    # Chalice names the API function's log group `${ApiHandler}` (the role's spelling); the function is APIHandler.
    overrides[API_LOG_GROUP] = {"Type": "AWS::Logs::LogGroup",
                                "Properties": {"LogGroupName": _sub(f"/aws/lambda/${{{API_FUNCTION}}}")}}
    return overrides


def _queues_and_bucket() -> dict[str, dict]:
    bucket_arn = f"arn:${{AWS::Partition}}:s3:::{BUCKET_NAME}"
    return {
        "JobsDeadLetterQueue": {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": _sub("${AWS::StackName}-jobs-dlq"),
            "MessageRetentionPeriod": DLQ_RETENTION_SECONDS, "SqsManagedSseEnabled": True}},
        "JobsQueue": {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": _sub("${AWS::StackName}-jobs"),
            "VisibilityTimeout": QUEUE_VISIBILITY_SECONDS,
            "SqsManagedSseEnabled": True,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
                              "maxReceiveCount": MAX_RECEIVE_COUNT}}},
        # S3 may send this bucket's notifications to the jobs queue (named, not referenced: no cycle).
        "JobsQueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "JobsQueue"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": QUEUE_ARN,
                "Condition": {"ArnEquals": {"aws:SourceArn": _sub(bucket_arn)},
                              "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}}},
        "ArtifactsBucket": {"Type": "AWS::S3::Bucket", "DependsOn": ["JobsQueuePolicy"], "Properties": {
            "BucketName": _sub(BUCKET_NAME),
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                               "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "NotificationConfiguration": {"QueueConfigurations": [{
                "Event": REQUEST_EVENT, "Queue": QUEUE_ARN,
                "Filter": {"S3Key": {"Rules": [{"Name": name, "Value": value} for name, value in REQUEST_FILTER_RULES]}},
            }]},
        }},
    }


def _state_machine() -> dict[str, dict]:
    definition = json.dumps(build_definition(RUN_PHASE_PLACEHOLDER), indent=2, sort_keys=True)
    run_phase_arn = {"Fn::GetAtt": [RUN_PHASE_FUNCTION, "Arn"]}
    return {
        "PipelineStateMachine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "StateMachineName": _sub(STATE_MACHINE_NAME),
            "StateMachineType": "STANDARD",
            "RoleArn": {"Fn::GetAtt": ["PipelineStateMachineRole", "Arn"]},
            "DefinitionString": {"Fn::Sub": [definition, {"RunPhaseArn": run_phase_arn}]},
        }},
        "PipelineStateMachineRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "InvokeRunPhase", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                _allow(["lambda:InvokeFunction"], [run_phase_arn, _sub(f"${{{RUN_PHASE_FUNCTION}.Arn}}:*")])]}}],
        }},
    }


def build_template() -> dict:
    """The whole merge template as a dict."""
    resources: dict[str, dict] = {logical_table(table.name): _table_resource(table) for table in TABLES}
    resources.update(_queues_and_bucket())
    resources.update(_state_machine())
    resources.update(_iam_policies())
    resources.update(_function_overrides())
    gateway_responses = {"x-amazon-apigateway-gateway-responses": _gateway_responses()}
    resources[REST_API] = {"Type": "AWS::Serverless::Api", "Properties": {"DefinitionBody": gateway_responses}}
    return {
        "Resources": resources,
        "Outputs": {
            "StateMachineArn": {"Value": {"Ref": "PipelineStateMachine"}},
            "ArtifactsBucketName": {"Value": {"Ref": "ArtifactsBucket"}},
            "JobsQueueUrl": {"Value": {"Ref": "JobsQueue"}},
            "JobsDeadLetterQueueUrl": {"Value": {"Ref": "JobsDeadLetterQueue"}},
            "JwtSecretParameter": {"Value": _sub(SECRET_PARAMETERS["JWT_SECRET_PARAMETER"])},
            "AdminApiKeyParameter": {"Value": _sub(SECRET_PARAMETERS["ADMIN_API_KEY_PARAMETER"])},
        },
    }


def render() -> str:
    """The merge template as committed: sorted, indented JSON."""
    return json.dumps(build_template(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    TEMPLATE_PATH.write_text(render())
    sys.stdout.write(f"wrote {TEMPLATE_PATH.name}\n")
