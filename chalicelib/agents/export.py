"""The `export` phase: an export report, then a deterministic ZIP of source/ and docs/ stored for download."""

from __future__ import annotations

import io
import zipfile

from chalicelib.agents.errors import PhaseError
from chalicelib.pipeline.context import PhaseContext, PhaseOutcome, Workspace

REPORT_PATH = "docs/export_report.md"
EXPORTED_PREFIXES = ("source/", "docs/")
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_UNIX = 3
_FILE_MODE = 0o100644


def _files(workspace: Workspace) -> dict[str, bytes]:
    """Every exported file's bytes by path, in path order."""
    contents: dict[str, bytes] = {}
    for prefix in EXPORTED_PREFIXES:
        for path in workspace.list(prefix):
            data = workspace.read_bytes(path)
            if data is not None:
                contents[path] = data
    return dict(sorted(contents.items()))


def _report(files: dict[str, bytes], slug: str) -> str:
    """The Markdown export report: every file in the archive and its size."""
    lines = [
        "# Export report",
        "",
        (f"Archive: `{slug}_source.zip` with {len(files) + 1} file(s) "
        f"({sum(len(data) for data in files.values())} bytes before compression, this report excluded)."),
        "",
        "| File | Bytes |",
        "|---|---|",
        *[f"| {path} | {len(data)} |" for path, data in files.items()],
        f"| {REPORT_PATH} | (this report) |",
        "",
        ("After unzipping, run `flutter create . --platforms=<platforms>` inside `source/` to add the platform "
        "folders, then `flutter pub get` and `flutter run`."),
    ]
    return "\n".join(lines) + "\n"


def build_zip(files: dict[str, bytes]) -> bytes:
    """A ZIP of the files under their own paths; fixed timestamps and modes make it byte-for-byte repeatable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _FILE_MODE << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def run(ctx: PhaseContext) -> PhaseOutcome:
    """Write the export report, zip source/ and docs/, store the archive and return its key."""
    files = _files(ctx.workspace)
    if not any(path.startswith("source/") for path in files):
        raise PhaseError("nothing to export: source/ is empty")
    files.pop(REPORT_PATH, None)
    report = _report(files, ctx.job.slug)
    ctx.workspace.write(REPORT_PATH, report)
    archive = build_zip({**files, REPORT_PATH: report.encode("utf-8")})
    key = ctx.workspace.put_export(archive)
    summary = f"{len(files) + 1} file(s) zipped into {len(archive)} bytes"
    ctx.log("info", f"export: {summary} at {key}")
    return PhaseOutcome(status="passed", summary=summary, outputs=[key],
                        data={"files": len(files) + 1, "bytes": len(archive)})
