"""`make package`: `chalice package` with the merge template, into PACKAGE_DIR (stage: CHALICE_STAGE, default dev).

The package deploys as the stack named after the stage's RESOURCE_PREFIX (`factory-dev`): the
template names its resources from the stack name, and app.py names the jobs queue from the prefix.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from infra.template import SQS_EVENT, START_JOB_FUNCTION, TEMPLATE_PATH, render

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Variables that would leak a developer's shell into the packaged queue name.
PACKAGE_TIME_ONLY = ("JOBS_QUEUE_NAME", "RESOURCE_PREFIX", "STAGE")


class PackageError(RuntimeError):
    """The packaged template is not consistent with the stack it is meant for."""


def stack_name(stage: str) -> str:
    """The stack a stage deploys as: its RESOURCE_PREFIX in .chalice/config.json."""
    chalice_config = json.loads((PROJECT_DIR / ".chalice" / "config.json").read_text())
    stage_vars = chalice_config["stages"][stage].get("environment_variables", {})
    return stage_vars.get("RESOURCE_PREFIX") or chalice_config["environment_variables"]["RESOURCE_PREFIX"]


def event_queue_name(sam: dict) -> str:
    """The queue name Chalice wrote into start_job's SQS event (the end of its ARN)."""
    queue = sam["Resources"][START_JOB_FUNCTION]["Properties"]["Events"][SQS_EVENT]["Properties"]["Queue"]
    return queue["Fn::Sub"].rsplit(":", 1)[-1]


def package(out_dir: Path, stage: str = "dev") -> Path:
    """Write the deployment package (deployment.zip + sam.json) and return the folder."""
    TEMPLATE_PATH.write_text(render())
    chalice = Path(sys.executable).with_name("chalice")
    environ = {key: value for key, value in os.environ.items() if key not in PACKAGE_TIME_ONLY}
    environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    subprocess.run(
        [str(chalice), "package", "--stage", stage, "--merge-template", str(TEMPLATE_PATH), str(out_dir)],
        cwd=PROJECT_DIR, check=True, env=environ,
    )
    expected = f"{stack_name(stage)}-jobs"
    found = event_queue_name(json.loads((out_dir / "sam.json").read_text()))
    if found != expected:
        raise PackageError(f"start_job listens to {found!r}, but stack {stack_name(stage)!r} creates {expected!r}")
    return out_dir


def main() -> None:
    """Package one stage and say which stack name to deploy it as."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="out/package")
    parser.add_argument("--stage", default=os.environ.get("CHALICE_STAGE", "dev"))
    args = parser.parse_args()
    target = Path(args.out_dir)
    package(target if target.is_absolute() else PROJECT_DIR / target, args.stage)
    print(f"package written to {target}; deploy it as stack {stack_name(args.stage)!r}")


if __name__ == "__main__":
    main()
