"""What a finished job taught the agents, stored as pending experiences for a human to review.

Only approved experiences are used by later jobs of the same team (see `lessons_for`).
"""

from __future__ import annotations

import json

from chalicelib.store import files, hitl, phases


def extract(team_id: str, slug: str, outcome: str) -> int:
    """Record the job's lessons: feature mappings, repairs that worked, reviewer remarks, failures."""
    created = 0
    workspace = files.S3Workspace(team_id, slug)
    spec_text = workspace.read("docs/product_spec.json")
    if spec_text:
        for feature in json.loads(spec_text).get("features", []):
            source = feature.get("source", "").strip()
            if not source:
                continue
            target = feature["kind"] + (f" of {feature['entity']}" if feature.get("entity") else "")
            created += _add(team_id, slug, "ba_agent", "feature_mapping", source.lower(),
                            f'Feature "{source}" was built as {target}.',
                            {"feature": source.lower(), "kind": feature["kind"], "entity": feature.get("entity")})
    rows = {row.phase: row for row in phases.list_rows(team_id, slug)}
    qa, repair, reviewer = rows.get("qa"), rows.get("repair"), rows.get("reviewer")
    if qa and repair and repair.attempts and repair.status == "passed":
        rules = sorted({finding["rule"] for finding in qa.findings if finding.get("severity") in ("error", "high")})
        if rules:
            created += _add(team_id, slug, "dev_agent", "repair_fix", ",".join(rules),
                            f"QA findings {', '.join(rules)} were fixed by rewriting the affected files "
                            f"({repair.attempts} repair round{'s' if repair.attempts > 1 else ''}).", {"rules": rules})
    if reviewer and reviewer.summary and reviewer.status == "passed":
        created += _add(team_id, slug, "reviewer_agent", "review_remark", reviewer.summary, reviewer.summary, {})
    if outcome == "failed":
        failed = next((row for row in rows.values() if row.status == "failed"), None)
        if failed and failed.error:
            created += _add(team_id, slug, failed.agent, "failure", f"{failed.phase}:{failed.error[:200]}",
                            f"The {failed.phase} phase failed: {failed.error[:500]}", {"phase": failed.phase})
    return created


def _add(team_id: str, slug: str, agent: str, kind: str, key: str, content: str, data: dict) -> int:
    return 1 if hitl.create_experience(team_id, slug, agent, kind, key, content, data) else 0


def lessons_for(team_id: str, agent: str) -> list[str]:
    """The approved lessons of a team for one agent, as lines for its prompt context."""
    return [experience.content for experience in hitl.approved_experiences(team_id, agent)]


def approved_feature_mappings(team_id: str) -> dict[str, str]:
    """feature text (lower case) -> kind, from the team's approved feature-mapping experiences."""
    return {
        experience.data["feature"]: experience.data["kind"]
        for experience in hitl.approved_experiences(team_id, "ba_agent")
        if experience.kind == "feature_mapping" and experience.data.get("feature")
    }
