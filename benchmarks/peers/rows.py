"""What a run loaded, per stream, and how it differs from the emulator's truth.

A stream's rows are `{key: updated_at epoch or None}`: the key GitHub identifies the item
by (database id; sha for commits; the user's id for stargazers), `updated_at` where the
item has one, so an item loaded before a later change counts as stale.
"""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass
from datetime import datetime
from time import strptime

STREAMS = (
    "issues",
    "comments",
    "pull_requests",
    "reviews",
    "commits",
    "stargazers",
    "forks",
    "releases",
    "events",
    "discussions",
    "discussion_comments",
)

Rows = dict[str, dict[str, int | None]]


def epoch(value: object) -> int | None:
    """ISO 8601 text (GitHub's) or a datetime (the warehouse's) -> epoch seconds."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return int(value.timestamp())
    text = str(value).replace("+00:00", "Z").split(".")[0].rstrip("Z")
    return timegm(strptime(text, "%Y-%m-%dT%H:%M:%S"))


@dataclass
class Difference:
    truth: int
    rows: int
    missing: int  # in the truth, not loaded
    extra: int  # loaded, not in the truth (e.g. a pull request in `issues`)
    stale: int  # loaded with an older updated_at than the truth's

    @property
    def differing(self) -> int:
        return self.missing + self.extra + self.stale


def compare(truth: Rows, got: Rows) -> dict[str, Difference]:
    out = {}
    for stream in STREAMS:
        want, have = truth.get(stream, {}), got.get(stream)
        if have is None:
            continue  # the tool has no such stream
        stale = sum(
            1
            for key, updated in have.items()
            if key in want and want[key] is not None and updated != want[key]
        )
        out[stream] = Difference(
            truth=len(want),
            rows=len(have),
            missing=len(want.keys() - have.keys()),
            extra=len(have.keys() - want.keys()),
            stale=stale,
        )
    return out


@dataclass
class Run:
    """One run of one tool: what it cost, what it emitted, what its tables hold after it."""

    tool: str
    phase: str  # "initial" | "quiet"
    seconds: float
    emitted: dict[str, int]  # records (rows written) per stream in this run
    table: Rows  # the tool's tables after this run (records merged on their keys)
    stats: dict  # the emulator's counters for this run alone
    error: str | None = None
    state: object = None  # what the next run resumes from


def merge(table: Rows, records: Rows) -> Rows:
    """A destination's view: later records replace earlier ones with the same key."""
    out = {s: dict(v) for s, v in table.items()}
    for stream, rows in records.items():
        out.setdefault(stream, {}).update(rows)
    return out
