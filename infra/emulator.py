"""The embedded AWS emulator: moto in server mode, Lambda invocations answered in-process,
an SQS poller standing in for the event source mapping, and Chalice's local HTTP server.

Everything is in memory: a restart forgets the jobs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from werkzeug.serving import make_server

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


class PortInUse(RuntimeError):
    """A port the stack needs is taken by another program."""


def ensure_port_free(host: str, port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            variable = "PORT" if what == "API" else "EMULATOR_PORT"
            raise PortInUse(f"port {port} ({what}) is already in use; set {variable} to another port") from error


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_item_level_transaction_rollback() -> None:
    """Make the emulator's TransactWriteItems cost O(items touched), not O(table size).

    moto snapshots every table a transaction touches (a deep copy) so it can roll back; with a
    cost row per LLM call that makes each call slower as the table grows. Instead we skip the
    table copy and snapshot just the items the transaction writes, restoring them on failure.
    """
    import copy
    from types import SimpleNamespace

    import moto.dynamodb.models as moto_dynamodb
    from moto.dynamodb.models.table import Table

    if getattr(moto_dynamodb.DynamoDBBackend, "_item_level_rollback", False):
        return
    moto_dynamodb.copy = SimpleNamespace(deepcopy=lambda value, *args: value if isinstance(value, Table)
                                         else copy.deepcopy(value, *args))
    original = moto_dynamodb.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            if op.get("TableName") not in self.tables:
                continue
            table = self.get_table(op["TableName"])
            if op_type == "Put":
                names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
                key = {name: op["Item"][name] for name in names if name in op["Item"]}
            else:
                key = op.get("Key", {})
            try:
                current = self.get_item(op["TableName"], key)
            except Exception:  # an invalid key: moto's own validation reports it below
                continue
            saved.append((op["TableName"], key, copy.deepcopy(current.to_json()["Attributes"]) if current else None))
        try:
            original(self, transact_items)
        except Exception:
            for table_name, key, attributes in saved:
                if attributes is None:
                    self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attributes)
            raise

    moto_dynamodb.DynamoDBBackend.transact_write_items = transact_write_items
    moto_dynamodb.DynamoDBBackend._item_level_rollback = True


class LambdaContext:
    """The parts of the Lambda context object handlers may read."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 1024
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self._deadline = time.time() + 900

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.time()) * 1000)


class LambdaInvokeMiddleware:
    """Answers Lambda Invoke by calling the app's own handler in-process; everything else goes to moto."""

    def __init__(self, moto_app: Callable, handlers: dict[str, Callable]) -> None:
        self.moto_app = moto_app
        self.handlers = handlers

    def _handler_for(self, raw_name: str) -> tuple[str, Callable] | None:
        name = unquote(raw_name)
        if name.startswith("arn:"):
            name = name.split(":")[6]
        for handler_name, handler in self.handlers.items():
            if name == handler_name or name.endswith(f"-{handler_name}"):
                return handler_name, handler
        return None

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        match = INVOKE_PATH.match(environ.get("PATH_INFO", ""))
        if not match or environ.get("REQUEST_METHOD") != "POST":
            return self.moto_app(environ, start_response)
        found = self._handler_for(match["name"])
        if found is None:
            body = json.dumps({"Type": "User", "message": f"Function not found: {unquote(match['name'])}"}).encode()
            start_response("404 Not Found", [("Content-Type", "application/json"),
                                             ("x-amzn-ErrorType", "ResourceNotFoundException")])
            return [body]
        name, handler = found
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        event = json.loads(raw) if raw else {}
        headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", "$LATEST")]
        if environ.get("HTTP_X_AMZ_INVOCATION_TYPE") == "Event":
            threading.Thread(target=handler, args=(event, LambdaContext(name)), daemon=True).start()
            start_response("202 Accepted", headers)
            return [b""]
        try:
            result = handler(event, LambdaContext(name))
            body = json.dumps(result).encode()
        except Exception as error:  # a function error is reported to the caller, as Lambda does
            body = json.dumps({
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "stackTrace": traceback.format_tb(error.__traceback__)[-5:],
            }).encode()
            headers.append(("X-Amz-Function-Error", "Unhandled"))
        start_response("200 OK", headers)
        return [body]


class SqsPoller:
    """Feeds the jobs queue to the app's `on_sqs_message` handler with real SQS event records."""

    def __init__(self, sqs: Any, queue_url: str, queue_arn: str, region: str, handler: Callable, batch_size: int = 5):
        self.sqs, self.queue_url, self.queue_arn, self.region = sqs, queue_url, queue_arn, region
        self.handler, self.batch_size = handler, batch_size
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sqs-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _record(self, message: dict) -> dict:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }

    def poll_once(self, wait_seconds: int = 1) -> int:
        """Receive one batch and hand it to the handler; returns how many messages it saw."""
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size, WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"], MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        records = [self._record(message) for message in messages]
        try:
            result = self.handler({"Records": records}, LambdaContext("start_job")) or {}
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        except Exception:
            traceback.print_exc()
            failed = {record["messageId"] for record in records}
        done = [record for record in records if record["messageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": record["receiptHandle"]} for i, record in enumerate(done)],
            )
        return len(messages)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                if self._stop.is_set():
                    return
                traceback.print_exc()
                time.sleep(1)


class Emulator:
    """moto server + Lambda middleware + SQS poller, all in this process."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, port
        self.endpoint = f"http://{host}:{port}"
        self._server = None
        self._thread: threading.Thread | None = None
        self.poller: SqsPoller | None = None

    def configure_environment(self) -> None:
        """Point this process's boto3 clients (and moto's Step Functions interpreter) at the emulator."""
        os.environ.update(FAKE_CREDENTIALS)
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint
        os.environ["MOTO_PORT"] = str(self.port)

    def start(self) -> None:
        from moto.core.config import default_user_config
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

        import app as chalice_app

        ensure_port_free(self.host, self.port, "AWS emulator")
        self.configure_environment()
        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        use_item_level_transaction_rollback()
        # The interpreter logs every failed or cancelled execution as an error with its internal
        # state; the job already records what happened in words, so keep the console readable.
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
        handlers = {"run_phase": chalice_app.run_phase}
        wsgi = LambdaInvokeMiddleware(DomainDispatcherApplication(create_backend_app), handlers)

        class QuietRequestHandler(MotoRequestHandler):
            def log_request(self, code: object = "-", size: object = "-") -> None:
                """Emulator traffic is not the user's business; errors still print."""

        self._server = make_server(self.host, self.port, wsgi, threaded=True, request_handler=QuietRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="aws-emulator", daemon=True)
        self._thread.start()
        self.reset()
        self.start_poller(chalice_app.start_job)

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name=os.environ["AWS_DEFAULT_REGION"])

    def settle(self, timeout: float = 60) -> None:
        """Wait until no execution is running, so a reset does not pull the floor from under one."""
        from chalicelib import config

        sfn = self.client("stepfunctions")
        arn = config.load().state_machine_arn
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
            except sfn.exceptions.StateMachineDoesNotExist:
                return
            if not running:
                return
            time.sleep(0.2)

    def reset(self) -> None:
        """Forget every resource and record, then create the app's resources afresh."""
        from urllib.request import Request, urlopen

        from chalicelib import config
        from infra.resources import create_all

        self.settle()
        urlopen(Request(f"{self.endpoint}/moto-api/reset", method="POST"), timeout=10).read()
        create_all(self.client, config.load())

    def start_poller(self, handler: Callable) -> None:
        from chalicelib import config

        settings = config.load()
        sqs = self.client("sqs")
        url = sqs.get_queue_url(QueueName=settings.queue_name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.poller = SqsPoller(sqs, url, arn, settings.region, handler)
        self.poller.start()

    def stop(self) -> None:
        if self.poller:
            self.poller.stop()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
