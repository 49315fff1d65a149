"""The Chalice app: blueprints, middleware and the event handlers. It only wires."""

from __future__ import annotations

import logging

from chalice import Chalice

from chalicelib import config
from chalicelib.api import (
    agents,
    auth_routes,
    docs,
    hitl,
    jobs,
    middleware,
    observability,
    projects,
    providers,
    settings,
    system,
)

app = Chalice(app_name="ai-software-factory")
app.log.setLevel(logging.INFO)
app.api.binary_types.append("application/zip")

for blueprint in (system, auth_routes, jobs, hitl, docs):
    app.register_blueprint(blueprint.blueprint)
app.register_blueprint(agents.blueprint)
app.register_blueprint(providers.blueprint)
app.register_blueprint(settings.blueprint)
app.register_blueprint(observability.blueprint)
app.register_blueprint(projects.blueprint)
app.register_middleware(middleware.error_contract, "http")


@app.on_sqs_message(queue=config.jobs_queue_name(), batch_size=5, name="start_job")
def start_job(event):
    """Start one Step Functions execution per queued job; S3 notifications of request files create the
    job first. Failed messages go back (and on to the DLQ) alone, as partial batch failures."""
    from chalicelib.pipeline import inbox

    failures = []
    for record in event:
        message_id = record.to_dict().get("messageId")
        try:
            app.log.info("job message %s: %s", message_id, inbox.handle_message(record.body))
        except Exception:
            app.log.exception("could not start job from message %s", message_id)
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


@app.lambda_function(name="run_phase")
def run_phase(event, context):
    """Run one pipeline phase (or mark the job's outcome) for the state machine."""
    from chalicelib.pipeline import runner

    return runner.handle(event)
