"""LLM cost rows and their exact aggregates, in the `costs` table.

Rows: pk `calls#{team}`, sk `{timestamp}#{id}`, one per call, newest last.
Counters: pk `totals#{team}`, sk `team`, `agent#{id}`, `job#{slug}` or `day#{YYYY-MM-DD}`. A row and
its four counters are written in one TransactWriteItems (atomic ADDs), so they always agree and a
reader needs one GetItem or a short Query at any volume. Counters hold whole picodollars
(`cost_pico`, 1e-12 USD): integer ADDs are exact, and genai-prices' figures fit them exactly.

The daily limit: the day counter's `committed_pico` is what was spent plus what running calls have
reserved. A call reserves its worst-case cost with a conditional ADD (`committed <= limit - cost`)
before it starts and settles to the real cost in the same transaction as its row, so concurrent
calls cannot together pass the limit.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.store import items, jobs
from chalicelib.store.errors import StoreError

ZERO = Decimal(0)
TRANSACTION_ATTEMPTS = 6
PICO = Decimal("1e12")


def to_pico(amount: Decimal) -> int:
    """USD as whole picodollars (rounded half-up below 1e-12 USD)."""
    return int((amount * PICO).to_integral_value(rounding="ROUND_HALF_UP"))


def from_pico(amount: int) -> Decimal:
    return Decimal(amount) / PICO


class DailyLimitReached(StoreError):
    """The reservation would take the team's spend today over its limit."""

    def __init__(self, limit: Decimal, committed: Decimal, amount: Decimal) -> None:
        super().__init__(f"limit {limit}, committed {committed}, asked {amount}")
        self.limit, self.committed, self.amount = limit, committed, amount

    @property
    def overshoot(self) -> Decimal:
        """By how much the call would have exceeded the limit."""
        return self.committed + self.amount - self.limit


@dataclass
class CostRow:
    """One LLM call. `cost_usd` is 0 with `price_unknown` set when genai-prices does not know the model."""

    team_id: str
    job_slug: str | None
    phase: str
    agent: str
    task: str
    provider: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal
    price_unknown: bool
    latency_ms: int
    fallback_from: str | None = None
    usage_reported: bool = True


@dataclass(frozen=True)
class Reservation:
    """Money held on a team's day counter for one call in flight."""

    team_id: str
    day: str
    amount: Decimal


@dataclass
class Totals:
    """One counter: cost, calls and tokens of a team, agent, job or day."""

    name: str = ""
    cost_usd: Decimal = ZERO
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    price_unknown_calls: int = 0


def today() -> str:
    """The UTC date that daily counters and the daily limit use."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def _totals_key(team_id: str, sort_key: str) -> dict:
    return {"pk": f"totals#{team_id}", "sk": sort_key}


def _conditional_failed(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in ("ConditionalCheckFailedException", "TransactionCanceledException")


def committed_today(team_id: str, day: str | None = None) -> Decimal:
    """Spent plus reserved today (consistent read of the day counter)."""
    item = items.table("costs").get_item(Key=_totals_key(team_id, f"day#{day or today()}"), ConsistentRead=True,
                                         ProjectionExpression="committed_pico").get("Item") or {}
    return from_pico(int(item.get("committed_pico", 0)))


def reserve(team_id: str, amount: Decimal, limit: Decimal) -> Reservation:
    """Hold `amount` of today's budget; DailyLimitReached when spent + reserved + amount > limit."""
    day = today()
    if amount > limit:
        raise DailyLimitReached(limit, committed_today(team_id, day), amount)
    try:
        items.table("costs").update_item(
            Key=_totals_key(team_id, f"day#{day}"),
            UpdateExpression="ADD committed_pico :amount",
            ConditionExpression="attribute_not_exists(committed_pico) OR committed_pico <= :headroom",
            ExpressionAttributeValues={":amount": to_pico(amount), ":headroom": to_pico(limit) - to_pico(amount)},
        )
    except ClientError as error:
        if _conditional_failed(error):
            raise DailyLimitReached(limit, committed_today(team_id, day), amount) from error
        raise
    return Reservation(team_id, day, amount)


def release(reservation: Reservation) -> None:
    """Give back a reservation whose call never happened (it failed or was refused)."""
    if reservation.amount:
        items.table("costs").update_item(
            Key=_totals_key(reservation.team_id, f"day#{reservation.day}"),
            UpdateExpression="ADD committed_pico :amount",
            ExpressionAttributeValues={":amount": -to_pico(reservation.amount)},
        )


def _counter_update(table_name: str, key: dict, row: CostRow, label: str, committed_delta: int | None) -> dict:
    expression = "ADD cost_pico :cost, calls :one, tokens_in :tin, tokens_out :tout, price_unknown_calls :unknown"
    values: dict[str, Any] = {
        ":cost": to_pico(row.cost_usd), ":one": 1, ":tin": row.tokens_in, ":tout": row.tokens_out,
        ":unknown": 1 if row.price_unknown else 0, ":label": label,
    }
    if committed_delta is not None:
        expression += ", committed_pico :delta"
        values[":delta"] = committed_delta
    return {"Update": {
        "TableName": table_name,
        "Key": key,
        "UpdateExpression": expression + " SET #label = :label",
        "ExpressionAttributeNames": {"#label": "label"},
        "ExpressionAttributeValues": values,
    }}


def _transact(writes: list[dict]) -> None:
    """TransactWriteItems, retried when it lost a race with another transaction on the same counters."""
    client = items.table("costs").meta.client  # serialises plain Python values (Decimal, int, str, None) itself
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            client.transact_write_items(TransactItems=writes)
            return
        except ClientError as error:
            reasons = {reason.get("Code") for reason in error.response.get("CancellationReasons", [])}
            if "TransactionConflict" not in reasons or attempt == TRANSACTION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * 2**attempt)


def record(row: CostRow, reservation: Reservation | None = None) -> dict:
    """Write the call's row, settle its reservation and add it to the team/agent/job/day counters, atomically."""
    from chalicelib import config

    timestamp = items.now_iso()
    day = reservation.day if reservation else today()
    item = {"pk": f"calls#{row.team_id}", "sk": f"{timestamp}#{uuid.uuid4().hex[:12]}", "timestamp": timestamp,
            "day": day, **asdict(row)}
    table_name = config.load().table("costs")
    reserved = reservation.amount if reservation else ZERO
    writes = [
        {"Put": {"TableName": table_name, "Item": item}},
        _counter_update(table_name, _totals_key(row.team_id, "team"), row, row.team_id, None),
        _counter_update(table_name, _totals_key(row.team_id, f"agent#{row.agent}"), row, row.agent, None),
        _counter_update(table_name, _totals_key(row.team_id, f"day#{day}"), row, day,
                        to_pico(row.cost_usd) - to_pico(reserved)),
    ]
    if row.job_slug:
        writes.append(_counter_update(table_name, _totals_key(row.team_id, f"job#{row.job_slug}"), row, row.job_slug, None))
    _transact(writes)
    if row.job_slug:
        jobs.add_usage(row.team_id, row.job_slug, float(row.cost_usd), row.tokens_in, row.tokens_out)
    return item


def _totals(item: dict) -> Totals:
    return Totals(
        name=str(item.get("label", "")),
        cost_usd=from_pico(int(item.get("cost_pico", 0))),
        calls=int(item.get("calls", 0)),
        tokens_in=int(item.get("tokens_in", 0)),
        tokens_out=int(item.get("tokens_out", 0)),
        price_unknown_calls=int(item.get("price_unknown_calls", 0)),
    )


def team_totals(team_id: str) -> Totals:
    """The team's all-time counter: one GetItem."""
    item = items.table("costs").get_item(Key=_totals_key(team_id, "team"), ConsistentRead=True).get("Item") or {}
    return _totals(item)


def _query_counters(team_id: str, condition: Any) -> list[Totals]:
    from boto3.dynamodb.conditions import Key

    query: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(f"totals#{team_id}") & condition,
                             "ConsistentRead": True}
    found: list[Totals] = []
    while True:
        response = items.table("costs").query(**query)
        found += [_totals(item) for item in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            return found
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def by_agent(team_id: str) -> list[Totals]:
    """One counter per agent that made calls (a handful of items)."""
    from boto3.dynamodb.conditions import Key

    return _query_counters(team_id, Key("sk").begins_with("agent#"))


def by_job(team_id: str) -> list[Totals]:
    """One counter per job that made calls."""
    from boto3.dynamodb.conditions import Key

    return _query_counters(team_id, Key("sk").begins_with("job#"))


def by_day(team_id: str, first: str, last: str) -> dict[str, Totals]:
    """Day counters from `first` to `last` (inclusive, YYYY-MM-DD), by date; days without calls absent."""
    from boto3.dynamodb.conditions import Key

    counters = _query_counters(team_id, Key("sk").between(f"day#{first}", f"day#{last}"))
    return {counter.name: counter for counter in counters if counter.calls}


def recent_rows(team_id: str, limit: int) -> list[dict]:
    """The team's newest cost rows, newest first."""
    from boto3.dynamodb.conditions import Key

    response = items.table("costs").query(KeyConditionExpression=Key("pk").eq(f"calls#{team_id}"),
                                          ScanIndexForward=False, Limit=limit)
    hidden = {"pk", "sk"}
    return [{key: value for key, value in items.plain(item).items() if key not in hidden}
            for item in response.get("Items", [])]
