"""The packaged CloudFormation template (`make package`): valid, and wired to what the code names."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chalicelib import config
from chalicelib.pipeline.request_files import ERROR_SUFFIX, REQUEST_PREFIX, REQUEST_SUFFIX, RESULT_SUFFIX
from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES, table_definition
from infra import package, template
from infra.resources import MAX_RECEIVE_COUNT, run_phase_arn

STAGE = "dev"
FUNCTIONS = (template.API_FUNCTION, template.START_JOB_FUNCTION, template.RUN_PHASE_FUNCTION)


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> Path:
    """`chalice package` once for the module (about 5 s)."""
    return package.package(tmp_path_factory.mktemp("package"), STAGE)


@pytest.fixture(scope="module")
def sam(packaged) -> dict:
    return json.loads((packaged / "sam.json").read_text())


@pytest.fixture(scope="module")
def resources(sam) -> dict:
    return sam["Resources"]


def _resolve(value: Any, resources: dict, stack: str) -> Any:
    """Enough of CloudFormation's intrinsics to name things as a deployed stack would."""
    if isinstance(value, dict) and "Ref" in value:
        if value["Ref"] == "AWS::StackName":
            return stack
        target = resources[value["Ref"]]
        if target["Type"] == "AWS::S3::Bucket":
            return _resolve(target["Properties"]["BucketName"], resources, stack)
        if target["Type"] == "AWS::StepFunctions::StateMachine":
            name = _resolve(target["Properties"]["StateMachineName"], resources, stack)
            return f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"
        return value["Ref"]  # a function's generated name: its logical id stands in
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        assert attribute == "QueueName", attribute
        return _resolve(resources[logical]["Properties"]["QueueName"], resources, stack)
    if isinstance(value, dict) and "Fn::Sub" in value:
        text = value["Fn::Sub"]
        for name, replacement in {"AWS::StackName": stack, "AWS::AccountId": "123456789012",
                                  "AWS::Region": "us-east-1", "AWS::Partition": "aws"}.items():
            text = text.replace("${" + name + "}", replacement)
        return text
    return value


def test_cfn_lint_passes_on_the_package(packaged):
    # Chalice's own output lints clean with cfn-lint 1.58, so nothing is ignored.
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(lint), str(packaged / "sam.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_ships_the_code_without_boto3(packaged):
    names = zipfile.ZipFile(packaged / "deployment.zip").namelist()
    assert "app.py" in names and "chalicelib/pipeline/request_files.py" in names
    assert not any(name.startswith(("boto3/", "botocore/")) for name in names)


def test_every_table_exists_with_the_codes_keys_indexes_pitr_and_ttl(resources):
    for table in TABLES:
        props = resources[template.logical_table(table.name)]["Properties"]
        expected = table_definition(table, "unused")
        assert props["TableName"] == {"Fn::Sub": f"${{AWS::StackName}}-{table.name}"}
        for key in ("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes"):
            assert props.get(key) == expected.get(key), (table.name, key)
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        if table.ttl_attribute:
            assert props["TimeToLiveSpecification"] == {"AttributeName": table.ttl_attribute, "Enabled": True}
        else:
            assert "TimeToLiveSpecification" not in props


def test_the_functions_environment_names_the_stacks_resources(resources, monkeypatch):
    stack = package.stack_name(STAGE)
    table_names = {_resolve(resources[template.logical_table(t.name)]["Properties"]["TableName"], resources, stack)
                   for t in TABLES}
    queue_name = _resolve(resources["JobsQueue"]["Properties"]["QueueName"], resources, stack)
    for function in FUNCTIONS:
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["STAGE"] == STAGE
        monkeypatch.setenv("JWT_SECRET", "x" * 40)  # first: the emulator's poller reads settings meanwhile
        for name, value in variables.items():
            if not name.endswith("_PARAMETER"):  # secrets: see test_prod_reads_its_secrets_from_ssm
                monkeypatch.setenv(name, _resolve(value, resources, stack))
        settings = config.load()
        assert {settings.table(t.name) for t in TABLES} == table_names, function
        assert settings.queue_name == queue_name
        assert settings.bucket == _resolve(resources["ArtifactsBucket"]["Properties"]["BucketName"], resources, stack)
        assert settings.state_machine_arn.endswith(f":stateMachine:{stack}-pipeline")
        assert variables["JWT_SECRET_PARAMETER"] == {"Fn::Sub": template.SECRET_PARAMETERS["JWT_SECRET_PARAMETER"]}
    assert "ADMIN_API_KEY_PARAMETER" in resources[template.API_FUNCTION]["Properties"]["Environment"]["Variables"]


def test_start_job_listens_to_the_jobs_queue_and_reports_partial_failures(resources):
    stack = package.stack_name(STAGE)
    event = resources["StartJob"]["Properties"]["Events"][template.SQS_EVENT]
    assert event["Type"] == "SQS"
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["Properties"]["Queue"]["Fn::Sub"].endswith(f":{stack}-jobs")  # Chalice's own, from app.py
    assert _resolve(resources["JobsQueue"]["Properties"]["QueueName"], resources, stack) == f"{stack}-jobs"
    queue = resources["JobsQueue"]["Properties"]
    assert queue["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
                                      "maxReceiveCount": MAX_RECEIVE_COUNT}
    # SQS refuses an event source whose queue hides messages for less than the function may run.
    assert queue["VisibilityTimeout"] >= resources["StartJob"]["Properties"]["Timeout"]


def test_the_bucket_is_private_encrypted_versioned_and_notifies_the_queue_of_requests(resources):
    bucket = resources["ArtifactsBucket"]
    props = bucket["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert all(props["PublicAccessBlockConfiguration"].values())
    (notification,) = props["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Queue"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    assert notification["Event"].startswith("s3:ObjectCreated:")
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": REQUEST_PREFIX},
                                                        {"Name": "suffix", "Value": REQUEST_SUFFIX}]
    assert "JobsQueuePolicy" in bucket["DependsOn"]  # S3 checks it may send when the notification is set
    (statement,) = resources["JobsQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"} and statement["Action"] == "sqs:SendMessage"
    bucket_arn = statement["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"]
    assert bucket_arn == f"arn:${{AWS::Partition}}:s3:::{props['BucketName']['Fn::Sub']}"


def test_the_state_machine_in_the_package_is_the_one_the_emulator_runs(resources, fresh):
    props = resources["PipelineStateMachine"]["Properties"]
    definition, substitutions = props["DefinitionString"]["Fn::Sub"]
    assert substitutions == {"RunPhaseArn": {"Fn::GetAtt": ["RunPhase", "Arn"]}}
    settings = config.load()
    live = fresh.emulator.client("stepfunctions").describe_state_machine(stateMachineArn=settings.state_machine_arn)
    arn = run_phase_arn(settings)
    assert json.loads(definition.replace(template.RUN_PHASE_PLACEHOLDER, arn)) == json.loads(live["definition"])
    assert json.loads(live["definition"]) == build_definition(arn)


def _statements(resources: dict, function: str) -> list[dict]:
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    policies = [r for r in resources.values() if r["Type"] == "AWS::IAM::Policy"
                and {"Ref": role} in r["Properties"]["Roles"]]
    inline = [p["PolicyDocument"] for p in resources[role]["Properties"]["Policies"]]
    return [s for document in inline + [p["Properties"]["PolicyDocument"] for p in policies] for s in document["Statement"]]


def _actions(statements: list[dict]) -> set[str]:
    return {action for s in statements for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}


def test_each_function_has_its_own_role_with_only_what_it_uses(resources):
    roles = {resources[f]["Properties"]["Role"]["Fn::GetAtt"][0] for f in FUNCTIONS}
    assert roles == set(template.ROLES.values()) and "DefaultRole" not in resources
    api, start_job, run_phase = (_actions(_statements(resources, f)) for f in FUNCTIONS)
    assert {"sqs:SendMessage", "states:StartExecution", "states:StopExecution", "states:SendTaskSuccess",
            "states:SendTaskFailure", "dynamodb:Query", "s3:GetObject"} <= api
    assert not any(action.startswith("sqs:Receive") for action in api)
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "states:StartExecution", "s3:GetObject"} <= start_job
    assert not {"states:StopExecution", "states:SendTaskSuccess", "s3:DeleteObject"} & start_job
    assert not any(action.startswith(("sqs:", "states:")) for action in run_phase)
    assert {"dynamodb:PutItem", "s3:PutObject"} <= run_phase
    writes = [s for s in _statements(resources, "StartJob") if "s3:PutObject" in s["Action"]]
    assert sorted(r["Fn::Sub"].rsplit("*", 1)[-1] for s in writes for r in s["Resource"]) == sorted([ERROR_SUFFIX, RESULT_SUFFIX])
    for function in FUNCTIONS:
        assert f"{function}Access" in resources[function]["DependsOn"]  # no function runs before its grants


def test_every_function_logs_to_a_group_that_expires(resources):
    groups = {r["Properties"]["LogGroupName"]["Fn::Sub"]: r["Properties"]["RetentionInDays"]
              for r in resources.values() if r["Type"] == "AWS::Logs::LogGroup"}
    assert set(groups) == {f"/aws/lambda/${{{function}}}" for function in FUNCTIONS}
    assert all(days > 0 for days in groups.values())


def test_api_gateway_answers_in_the_error_contract(resources):
    responses = resources["RestAPI"]["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == "404" and "detail" in json.loads(missing["responseTemplates"]["application/json"])
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert responses[kind]["responseTemplates"]["application/json"].startswith('{"detail":')


def test_prod_reads_its_secrets_from_ssm(fresh, monkeypatch):
    ssm = fresh.emulator.client("ssm")
    ssm.put_parameter(Name="/factory-test/jwt-secret", Type="SecureString", Value="s" * 48)
    ssm.put_parameter(Name="/factory-test/admin-api-key", Type="SecureString", Value="admin-from-ssm")
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.delenv("ADMIN_API_KEY", raising=False)
    monkeypatch.setenv("JWT_SECRET_PARAMETER", "/factory-test/jwt-secret")
    monkeypatch.setenv("ADMIN_API_KEY_PARAMETER", "/factory-test/admin-api-key")
    settings = config.load()
    assert settings.jwt_secret == "s" * 48 and settings.admin_api_key == "admin-from-ssm"
    monkeypatch.setenv("JWT_SECRET_PARAMETER", "/factory-test/missing")
    with pytest.raises(config.ConfigError):
        config.load()
