"""What a purge did (or would do): raw rows, dbt's copies of them, and the grace period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from loaders.retention.policy import UntrackedRepository


@dataclass
class PurgeReport:
    applied: bool
    now: datetime
    repositories_retained: int
    grace_days: int = 0
    #: raw table -> rows
    rows: dict[str, int] = field(default_factory=dict)
    #: dbt table (analytics schema) -> rows deleted or rewritten with the raw rows
    analytics: dict[str, int] = field(default_factory=dict)
    #: untracked repositories whose raw data is kept until their grace period ends
    in_grace: list[UntrackedRepository] = field(default_factory=list)
    #: untracked repositories whose grace period is over: their data goes now
    purged_untracked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Raw rows (dbt's copies are counted apart, in `analytics`)."""
        return sum(self.rows.values())

    def grace_lines(self) -> list[str]:
        """One line per repository in its grace period, and one for those past it."""
        lines = [
            f"{u.full_name}: untracked, raw data kept until {u.kept_until:%Y-%m-%d %H:%M} UTC "
            f"(grace {self.grace_days} days)"
            for u in self.in_grace
            if u.kept_until is not None
        ]
        if self.purged_untracked:
            verb = "deleted" if self.applied else "would be deleted"
            lines.append(f"grace period over, raw data {verb}: {', '.join(self.purged_untracked)}")
        return lines

    def __str__(self) -> str:
        verb = "deleted" if self.applied else "would delete"
        parts = ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items()) if n)
        text = f"{verb} {self.total} raw rows" + (f" ({parts})" if parts else "")
        derived = ", ".join(f"{t} {n}" for t, n in sorted(self.analytics.items()) if n)
        if derived:
            text += f"; dbt copies of them: {derived}"
        kept = [
            f"{u.full_name} until {u.kept_until:%Y-%m-%d}" for u in self.in_grace if u.kept_until
        ]
        if kept:
            text += f"; untracked, kept in their grace period: {', '.join(kept)}"
        if self.purged_untracked:
            text += f"; grace period over: {', '.join(self.purged_untracked)}"
        return text
