"""The DynamoDB tables: one definition used by the CloudFormation template and the emulator.

Each table answers the questions the API asks with a Query, never a Scan:
see the key design table in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    partition_key: str
    sort_key: str | None
    indexes: tuple[Index, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None

    def attributes(self) -> list[str]:
        """Every key attribute the table or one of its indexes uses (all strings)."""
        names = [self.partition_key] + ([self.sort_key] if self.sort_key else [])
        for index in self.indexes:
            names += [index.partition_key] + ([index.sort_key] if index.sort_key else [])
        return sorted(set(names))


TABLES: tuple[Table, ...] = (
    Table(
        "jobs",
        "team_id",
        "slug",
        indexes=(
            Index("by_created", "team_id", "created_key"),
            Index("by_status", "team_status", "created_key"),
        ),
    ),
    Table("phases", "job_key", "phase_key"),
    Table(
        "activity",
        "team_id",
        "entry_key",
        indexes=(
            Index("by_job", "job_key", "entry_key"),
            Index("by_kind", "team_kind", "entry_key"),
            # Sparse: only entries with an agent carry `team_agent`, so the agent log is one Query.
            Index("by_agent", "team_agent", "entry_key"),
        ),
        ttl_attribute="expires_at",
    ),
    Table("costs", "pk", "sk"),
    Table("config", "kind", "item_id"),
    Table("hitl", "team_id", "item_id", indexes=(Index("by_status", "team_status", "created_key"),)),
    Table("projects", "team_id", "slug"),
)


def table_definition(table: Table, physical_name: str) -> dict:
    """CreateTable parameters, in the shape both boto3 and CloudFormation take."""
    keys = [{"AttributeName": table.partition_key, "KeyType": "HASH"}]
    if table.sort_key:
        keys.append({"AttributeName": table.sort_key, "KeyType": "RANGE"})
    definition: dict = {
        "TableName": physical_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in table.attributes()
        ],
        "KeySchema": keys,
    }
    if table.indexes:
        definition["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
                + ([{"AttributeName": index.sort_key, "KeyType": "RANGE"}] if index.sort_key else []),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    return definition
