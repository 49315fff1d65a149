"""Build the Step Functions definition (ASL) from the phase registry.

One Task per phase, all invoking the single `run_phase` Lambda with the phase in its payload.
The payload carries keys only (team, slug, run id): documents stay in S3, well below the 256 KB
state limit.
"""

from __future__ import annotations

import json

from chalicelib.domain.phases import PHASES

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
LAMBDA_INVOKE_WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken"
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


def _entry(phase: str) -> str:
    """Where the pipeline enters a phase: its checkpoint gate (every phase but `create` has one)."""
    return f"Gate_{phase}" if phase != PHASES[0] else _state_name(phase)


def _invoke(function_arn: str, payload: dict) -> dict:
    keys = {"team_id.$": "$.team_id", "slug.$": "$.slug", "run_id.$": "$.run_id"}
    return {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {"FunctionName": function_arn, "Payload": {**payload, **keys}},
        "ResultSelector": {"result.$": "$.Payload"},
        "Retry": RETRY,
    }


def _checkpoint(function_arn: str, payload: dict, then: str) -> dict:
    """A callback task: run_phase stores a checkpoint with the task token; a human's decision resumes it.

    No Retry: a second invocation would open a second checkpoint for the same gate.
    """
    task = _invoke(function_arn, {"action": "checkpoint", **payload, "task_token.$": "$$.Task.Token"})
    task.update(Resource=LAMBDA_INVOKE_WAIT, TimeoutSecondsPath="$.checkpoint_timeout_seconds",
                ResultPath="$.approval", Catch=CATCH, Next=then)
    del task["ResultSelector"], task["Retry"]
    return task


def _gate(function_arn: str, phase: str) -> dict[str, dict]:
    """A Choice on `$.gates.<phase>` and, when set, a checkpoint before the phase starts."""
    return {
        f"Gate_{phase}": {
            "Type": "Choice",
            "Choices": [{"Variable": f"$.gates.{phase}", "BooleanEquals": True, "Next": f"Checkpoint_{phase}"}],
            "Default": _state_name(phase),
        },
        f"Checkpoint_{phase}": _checkpoint(function_arn, {"phase": phase}, _state_name(phase)),
    }


def build_definition(function_arn: str) -> dict:
    """The state machine: gated phases in order, the QA/repair Choice loop, Catch to mark the job."""
    states: dict[str, dict] = {}
    for position, phase in enumerate(PHASES):
        task = _invoke(function_arn, {"action": "phase", "phase": phase})
        task["ResultPath"] = "$.last"
        task["Catch"] = CATCH
        if phase in ("refactor", "repair"):
            task["Next"] = "QualityGate"
        elif phase == "export":
            task["Next"] = "MarkSucceeded"
        elif phase == "security":
            task["Next"] = "SecurityFindingsGate"
        else:
            task["Next"] = _entry(PHASES[position + 1])
        states[_state_name(phase)] = task
        if phase != PHASES[0]:
            states.update(_gate(function_arn, phase))
    states["SecurityFindingsGate"] = {
        "Type": "Choice",
        "Comment": "High security findings with the override setting on: ask a human whether to ship anyway",
        "Choices": [{"Variable": "$.last.result.needs_approval", "BooleanEquals": True, "Next": "Checkpoint_security_findings"}],
        "Default": _entry("reviewer"),
    }
    states["Checkpoint_security_findings"] = _checkpoint(
        function_arn, {"phase": "reviewer", "reason": "security_findings"}, _entry("reviewer"))
    states["QualityGate"] = {
        "Type": "Choice",
        "Comment": "QA findings left: another repair round (repair raises when the budget is spent)",
        "Choices": [{"Variable": "$.last.result.passed", "BooleanEquals": True, "Next": _entry("runtime")}],
        "Default": _entry("repair"),
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
