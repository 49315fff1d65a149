"""The Chalice app: blueprints, middleware and the event handlers. It only wires."""

from __future__ import annotations

import json
import logging

from chalice import Chalice

from chalicelib.api import auth_routes, docs, jobs, middleware, system

app = Chalice(app_name="ai-software-factory")
app.log.setLevel(logging.INFO)
app.api.binary_types.append("application/zip")

for blueprint in (system, auth_routes, jobs, docs):
    app.register_blueprint(blueprint.blueprint)
app.register_middleware(middleware.error_contract, "http")


@app.on_sqs_message(queue="factory-jobs", batch_size=5, name="start_job")
def start_job(event):
    """Start one Step Functions execution per queued job; failed messages go back (and on to the DLQ)."""
    from chalicelib.pipeline import lifecycle

    failures = []
    for record in event:
        try:
            outcome = lifecycle.start_job(json.loads(record.body))
            app.log.info("job message %s: %s", record.to_dict().get("messageId"), outcome)
        except Exception:
            app.log.exception("could not start job from message %s", record.to_dict().get("messageId"))
            failures.append({"itemIdentifier": record.to_dict().get("messageId")})
    return {"batchItemFailures": failures}


@app.lambda_function(name="run_phase")
def run_phase(event, context):
    """Run one pipeline phase (or mark the job's outcome) for the state machine."""
    from chalicelib.pipeline import runner

    return runner.handle(event)
