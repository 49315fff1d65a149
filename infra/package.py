"""`make package`: `chalice package` with the merge template, into PACKAGE_DIR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.template import TEMPLATE_PATH, render

PROJECT_DIR = Path(__file__).resolve().parent.parent


def package(out_dir: Path, stage: str = "dev") -> Path:
    """Write the deployment package (zip + SAM template) and return the folder."""
    TEMPLATE_PATH.write_text(render())
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run(
        [str(chalice), "package", "--stage", stage, "--merge-template", str(TEMPLATE_PATH), str(out_dir)],
        cwd=PROJECT_DIR, check=True,
    )
    return out_dir


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "out/package")
    package(target if target.is_absolute() else PROJECT_DIR / target)
    print(f"package written to {target}")
