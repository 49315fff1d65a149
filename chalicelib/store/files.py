"""A job's generated files in S3, under `apps/{team}/{slug}/`."""

from __future__ import annotations

from botocore.exceptions import ClientError

from chalicelib import config
from chalicelib.store import aws

BROWSABLE_ROOTS = ("source/", "docs/")


def job_prefix(team_id: str, slug: str) -> str:
    return f"apps/{team_id}/{slug}/"


def export_key(team_id: str, slug: str) -> str:
    return f"{job_prefix(team_id, slug)}exports/{slug}_source.zip"


def _content_type(path: str) -> str:
    if path.endswith(".zip"):
        return "application/zip"
    if path.endswith(".json"):
        return "application/json"
    if path.endswith(".md"):
        return "text/markdown; charset=utf-8"
    return "text/plain; charset=utf-8"


class S3Workspace:
    """The Workspace of one job (see chalicelib.pipeline.context.Workspace)."""

    def __init__(self, team_id: str, slug: str) -> None:
        self.team_id = team_id
        self.slug = slug
        self.prefix = job_prefix(team_id, slug)
        self.bucket = config.load().bucket

    def read_bytes(self, path: str) -> bytes | None:
        try:
            response = aws.s3().get_object(Bucket=self.bucket, Key=self.prefix + path)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        return response["Body"].read()

    def read(self, path: str) -> str | None:
        data = self.read_bytes(path)
        return None if data is None else data.decode("utf-8")

    def write(self, path: str, content: str | bytes) -> None:
        body = content.encode("utf-8") if isinstance(content, str) else content
        aws.s3().put_object(Bucket=self.bucket, Key=self.prefix + path, Body=body, ContentType=_content_type(path))

    def delete(self, path: str) -> None:
        aws.s3().delete_object(Bucket=self.bucket, Key=self.prefix + path)

    def list(self, prefix: str = "") -> list[str]:
        return sorted(path for path, _ in self.list_with_sizes(prefix))

    def list_with_sizes(self, prefix: str = "") -> list[tuple[str, int]]:
        """Every (path, size) under `prefix`, paths relative to the job root."""
        paginator = aws.s3().get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for obj in page.get("Contents", []):
                found.append((obj["Key"][len(self.prefix):], obj["Size"]))
        return found

    def put_export(self, data: bytes) -> str:
        key = export_key(self.team_id, self.slug)
        aws.s3().put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/zip")
        return key

    def size_of(self, path: str) -> int | None:
        """The size in bytes of one file, or None when it does not exist."""
        try:
            head = aws.s3().head_object(Bucket=self.bucket, Key=self.prefix + path)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        return head["ContentLength"]

    def delete_everything(self) -> int:
        """Delete every object and every version under the job's prefix; returns how many."""
        client = aws.s3()
        targets = []
        for page in client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                targets.append({"Key": entry["Key"], "VersionId": entry["VersionId"]})
        for start in range(0, len(targets), 1000):
            client.delete_objects(Bucket=self.bucket, Delete={"Objects": targets[start:start + 1000], "Quiet": True})
        return len(targets)


def export_size(team_id: str, slug: str) -> int | None:
    """The ZIP's size, or None when it has not been exported."""
    return S3Workspace(team_id, slug).size_of(f"exports/{slug}_source.zip")


def read_export(team_id: str, slug: str) -> bytes | None:
    return S3Workspace(team_id, slug).read_bytes(f"exports/{slug}_source.zip")


def presigned_export_url(team_id: str, slug: str, expires_in: int = 300) -> str:
    """A short-lived GET URL for the ZIP, for downloads too large for a Lambda response."""
    return aws.s3().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": config.load().bucket,
            "Key": export_key(team_id, slug),
            "ResponseContentDisposition": f"attachment; filename={slug}_source.zip",
        },
        ExpiresIn=expires_in,
    )
