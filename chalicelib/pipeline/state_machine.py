"""Build the Step Functions definition (ASL) from the phase registry.

One Task per phase, all invoking the single `run_phase` Lambda with the phase in its payload.
The payload carries keys only (team, slug, run id): documents stay in S3, well below the 256 KB
state limit.
"""

from __future__ import annotations

import json

from chalicelib.domain.phases import PHASES

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
TRANSIENT_ERRORS = [
    "TransientError",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]
RETRY = [{"ErrorEquals": TRANSIENT_ERRORS, "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0}]
CATCH = [
    {"ErrorEquals": ["JobCancelled"], "ResultPath": "$.error", "Next": "MarkCancelled"},
    {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "MarkFailed"},
]


def _state_name(phase: str) -> str:
    return f"Phase_{phase}"


def _invoke(function_arn: str, payload: dict) -> dict:
    keys = {"team_id.$": "$.team_id", "slug.$": "$.slug", "run_id.$": "$.run_id"}
    return {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {"FunctionName": function_arn, "Payload": {**payload, **keys}},
        "ResultSelector": {"result.$": "$.Payload"},
        "Retry": RETRY,
    }


def build_definition(function_arn: str) -> dict:
    """The state machine: phases in order, the QA/repair Choice loop, Catch to mark the job."""
    states: dict[str, dict] = {}
    for position, phase in enumerate(PHASES):
        task = _invoke(function_arn, {"action": "phase", "phase": phase})
        task["ResultPath"] = "$.last"
        task["Catch"] = CATCH
        if phase in ("refactor", "repair"):
            task["Next"] = "QualityGate"
        elif phase == "export":
            task["Next"] = "MarkSucceeded"
        else:
            task["Next"] = _state_name(PHASES[position + 1])
        states[_state_name(phase)] = task
    states["QualityGate"] = {
        "Type": "Choice",
        "Comment": "QA findings left: another repair round (repair raises when the budget is spent)",
        "Choices": [{"Variable": "$.last.result.passed", "BooleanEquals": True, "Next": _state_name("runtime")}],
        "Default": _state_name("repair"),
    }
    for outcome, then in (("succeeded", "Done"), ("failed", "PipelineFailed"), ("cancelled", "PipelineCancelled")):
        task = _invoke(function_arn, {"action": "finalize", "outcome": outcome})
        if outcome != "succeeded":
            task["Parameters"]["Payload"]["error.$"] = "$.error"
        task["ResultPath"] = "$.final"
        task["Next"] = then
        states[f"Mark{outcome.capitalize()}"] = task
    states["Done"] = {"Type": "Succeed"}
    states["PipelineFailed"] = {"Type": "Fail", "Error": "PipelineFailed", "Cause": "A phase failed; see the job's error"}
    states["PipelineCancelled"] = {"Type": "Fail", "Error": "JobCancelled", "Cause": "The job was cancelled"}
    return {
        "Comment": "Unified AI Software Factory: one job through the 13 phases",
        "StartAt": _state_name(PHASES[0]),
        "States": states,
    }


def definition_json(function_arn: str) -> str:
    return json.dumps(build_definition(function_arn), indent=2, sort_keys=True)
