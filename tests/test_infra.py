"""The CloudFormation merge template and the embedded emulator come from one set of definitions."""

from __future__ import annotations

import json

from chalicelib import config
from chalicelib.pipeline.state_machine import build_definition
from chalicelib.store.schema import TABLES
from infra.resources import run_phase_arn
from infra.template import RUN_PHASE_PLACEHOLDER, TEMPLATE_PATH, build_template, render


def test_the_committed_merge_template_is_up_to_date():
    assert TEMPLATE_PATH.read_text() == render(), "run `python -m infra.template` and commit the result"


def _key_shape(keys: list[dict]) -> list[tuple[str, str]]:
    return [(key["AttributeName"], key["KeyType"]) for key in keys]


def test_every_table_in_the_emulator_matches_the_template(fresh):
    resources = build_template()["Resources"]
    dynamodb = fresh.emulator.client("dynamodb")
    for table in TABLES:
        template_props = next(
            resource["Properties"] for name, resource in resources.items()
            if resource["Type"] == "AWS::DynamoDB::Table" and resource["Properties"]["TableName"]["Fn::Sub"].endswith(f"-{table.name}")
        )
        live = dynamodb.describe_table(TableName=config.load().table(table.name))["Table"]
        assert _key_shape(live["KeySchema"]) == _key_shape(template_props["KeySchema"])
        live_indexes = {index["IndexName"]: _key_shape(index["KeySchema"]) for index in live.get("GlobalSecondaryIndexes", [])}
        template_indexes = {index["IndexName"]: _key_shape(index["KeySchema"])
                            for index in template_props.get("GlobalSecondaryIndexes", [])}
        assert live_indexes == template_indexes, table.name


def test_the_queue_has_a_dead_letter_queue_in_both(fresh):
    template = build_template()["Resources"]["JobsQueue"]["Properties"]
    sqs = fresh.emulator.client("sqs")
    url = sqs.get_queue_url(QueueName=config.load().queue_name)["QueueUrl"]
    redrive = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == template["RedrivePolicy"]["maxReceiveCount"]
    assert redrive["deadLetterTargetArn"].endswith("-dlq")


def test_the_emulator_runs_the_state_machine_of_the_template(fresh):
    settings = config.load()
    live = fresh.emulator.client("stepfunctions").describe_state_machine(stateMachineArn=settings.state_machine_arn)
    template_definition, substitutions = build_template()["Resources"]["PipelineStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    assert "RunPhaseArn" in substitutions
    arn = run_phase_arn(settings)
    rendered = json.loads(template_definition.replace(RUN_PHASE_PLACEHOLDER, arn))
    assert json.loads(live["definition"]) == rendered == build_definition(arn)


def test_a_cancelled_transaction_in_the_emulator_leaves_every_item_as_it_was(fresh):
    import pytest
    from botocore.exceptions import ClientError

    dynamodb = fresh.emulator.client("dynamodb")
    table = config.load().table("projects")
    dynamodb.put_item(TableName=table, Item={"team_id": {"S": "t"}, "slug": {"S": "a"}, "n": {"N": "1"}})
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"team_id": {"S": "t"}, "slug": {"S": "b"}}}},
            {"Update": {"TableName": table, "Key": {"team_id": {"S": "t"}, "slug": {"S": "a"}},
                        "UpdateExpression": "SET n = :two", "ConditionExpression": "n = :zero",
                        "ExpressionAttributeValues": {":two": {"N": "2"}, ":zero": {"N": "0"}}}},
        ])
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"team_id": {"S": "t"}, "slug": {"S": "b"}})
    kept = dynamodb.get_item(TableName=table, Key={"team_id": {"S": "t"}, "slug": {"S": "a"}})["Item"]
    assert kept["n"] == {"N": "1"}


def test_make_run_on_a_taken_port_says_so_in_one_line():
    import os
    import socket
    import subprocess
    import sys
    from pathlib import Path

    from infra.emulator import free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        environment = {**os.environ, "PORT": str(port), "EMULATOR_PORT": str(free_port())}
        result = subprocess.run([sys.executable, "-m", "infra.run"], cwd=Path(__file__).resolve().parents[1],
                                env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: port {port} (API) is already in use; set PORT to another port"]
    assert "Traceback" not in result.stdout + result.stderr


def test_make_run_serves_the_api_and_stops_cleanly_on_sigint():
    import json
    import os
    import signal
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    from infra.emulator import free_port

    api_port = free_port()
    environment = {**os.environ, "PORT": str(api_port), "EMULATOR_PORT": str(free_port())}
    process = subprocess.Popen([sys.executable, "-m", "infra.run"], cwd=Path(__file__).resolve().parents[1],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        printed = []
        for line in process.stdout:
            printed.append(line)
            if "Ctrl-C stops everything" in line:
                break
        assert any("X-Admin-Key" in line for line in printed), "make run must print how to get a token"
        with urllib.request.urlopen(f"http://127.0.0.1:{api_port}/health", timeout=10) as response:
            assert json.loads(response.read()) == {"status": "ok", "queue_backend": "sqs"}
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        process.kill()
