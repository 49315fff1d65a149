"""`make localstack`: deploy the package in PACKAGE_DIR to a LocalStack on localhost:4566 and print the API URL.

The same CloudFormation deploy as on AWS, through boto3 against LocalStack's endpoint: upload
deployment.zip and sam.json to a deployment bucket, create the SSM secrets if missing, then a
change set (create or update) with the SAM transform, and wait for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from botocore.exceptions import ClientError, WaiterError

from infra.package import PROJECT_DIR, stack_name
from infra.template import SECRET_PARAMETERS

ENDPOINT = os.environ.get("LOCALSTACK_ENDPOINT", "http://localhost:4566")
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


class DeployError(RuntimeError):
    """LocalStack is not there, or the stack did not deploy."""


def _client(service: str) -> Any:
    import boto3

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region)


def check_running() -> None:
    """Fail with one line when nothing answers on the LocalStack endpoint."""
    try:
        urllib.request.urlopen(f"{ENDPOINT}/_localstack/health", timeout=5).read()
    except OSError as error:
        raise DeployError(f"no LocalStack at {ENDPOINT} ({error}); start it with `localstack start` or Docker") from error


def ensure_secrets(stack: str) -> None:
    """Create the JWT secret and admin key as SecureStrings unless they exist (random, never printed)."""
    ssm = _client("ssm")
    for template_name in SECRET_PARAMETERS.values():
        name = template_name.replace("${AWS::StackName}", stack)
        try:
            ssm.get_parameter(Name=name)
        except ssm.exceptions.ParameterNotFound:
            ssm.put_parameter(Name=name, Type="SecureString", Value=secrets.token_urlsafe(48))
            print(f"created SSM parameter {name}")


def upload(package_dir: Path, stack: str) -> str:
    """Upload the code and the template; returns the template's URL (sam.json exceeds TemplateBody's limit)."""
    s3 = _client("s3")
    bucket = f"{stack}-deployment"
    s3.create_bucket(Bucket=bucket)
    code = (package_dir / "deployment.zip").read_bytes()
    code_key = f"{stack}/{hashlib.sha256(code).hexdigest()}.zip"
    s3.put_object(Bucket=bucket, Key=code_key, Body=code)
    template = json.loads((package_dir / "sam.json").read_text())
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = {"Bucket": bucket, "Key": code_key}
    s3.put_object(Bucket=bucket, Key=f"{stack}/sam.json", Body=json.dumps(template).encode())
    return f"https://{bucket}.s3.amazonaws.com/{stack}/sam.json"


def deploy(template_url: str, stack: str) -> dict[str, str]:
    """Create or update the stack through a change set; returns its outputs."""
    cloudformation = _client("cloudformation")
    try:
        cloudformation.describe_stacks(StackName=stack)
        change_type = "UPDATE"
    except ClientError:
        change_type = "CREATE"
    change_set = f"{stack}-{secrets.token_hex(4)}"
    cloudformation.create_change_set(StackName=stack, ChangeSetName=change_set, ChangeSetType=change_type,
                                     TemplateURL=template_url, Capabilities=CAPABILITIES)
    try:
        cloudformation.get_waiter("change_set_create_complete").wait(StackName=stack, ChangeSetName=change_set)
    except WaiterError as error:
        reason = cloudformation.describe_change_set(StackName=stack, ChangeSetName=change_set).get("StatusReason", "")
        if "didn't contain changes" in reason or "No updates" in reason:
            return _outputs(cloudformation, stack)
        raise DeployError(f"change set failed: {reason or error}") from error
    cloudformation.execute_change_set(StackName=stack, ChangeSetName=change_set)
    waiter = "stack_create_complete" if change_type == "CREATE" else "stack_update_complete"
    try:
        cloudformation.get_waiter(waiter).wait(StackName=stack, WaiterConfig={"Delay": 5, "MaxAttempts": 120})
    except WaiterError as error:
        events = cloudformation.describe_stack_events(StackName=stack)["StackEvents"]
        failed = [f"{event['LogicalResourceId']}: {event.get('ResourceStatusReason', '')}"
                  for event in events if event["ResourceStatus"].endswith("FAILED")]
        raise DeployError("stack did not deploy: " + "; ".join(failed[:5])) from error
    return _outputs(cloudformation, stack)


def _outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}


def main() -> None:
    """Deploy PACKAGE_DIR to LocalStack as the stage's stack and print how to reach it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", nargs="?", default="out/package")
    parser.add_argument("--stage", default=os.environ.get("CHALICE_STAGE", "dev"))
    args = parser.parse_args()
    package_dir = Path(args.package_dir)
    package_dir = package_dir if package_dir.is_absolute() else PROJECT_DIR / package_dir
    stack = stack_name(args.stage)
    try:
        check_running()
        ensure_secrets(stack)
        outputs = deploy(upload(package_dir, stack), stack)
    except DeployError as error:
        sys.exit(str(error))
    api_id, stage_path = outputs["RestAPIId"], urlparse(outputs["EndpointURL"]).path
    admin_key = SECRET_PARAMETERS["ADMIN_API_KEY_PARAMETER"].replace("${AWS::StackName}", stack)
    print(f"stack {stack} deployed")
    print(f"API URL: http://{api_id}.execute-api.localhost.localstack.cloud:4566{stage_path}")
    print(f"   (or): {ENDPOINT}/restapis/{api_id}{stage_path}_user_request_/")
    print(f"admin key: aws --endpoint-url {ENDPOINT} ssm get-parameter --with-decryption --name {admin_key}")


if __name__ == "__main__":
    main()
