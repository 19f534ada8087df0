"""The grace period of untracked repositories: `WAREHOUSE_UNTRACKED_GRACE_DAYS`.

A repository no active workspace tracks keeps all its raw data for this many days after it
stopped being tracked (default 7); the purge deletes it afterwards. Re-adding it within the
grace period loses nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timedelta

GRACE_VARIABLE = "WAREHOUSE_UNTRACKED_GRACE_DAYS"
DEFAULT_GRACE_DAYS = 7
MAX_GRACE_DAYS = 3650


class GraceSettingError(ValueError):
    """The grace period variable is not a whole number of days in range."""


def untracked_grace_days(env: Mapping[str, str] | None = None) -> int:
    """Days an untracked repository's raw data is kept; a bad value names the variable."""
    env = os.environ if env is None else env
    raw = env.get(GRACE_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_GRACE_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_GRACE_DAYS:
        raise GraceSettingError(
            f"{GRACE_VARIABLE} must be a whole number of days between 0 and {MAX_GRACE_DAYS} "
            f"(default {DEFAULT_GRACE_DAYS}), got {raw!r}"
        )
    return days


def kept_until(untracked_since: datetime, grace_days: int) -> datetime:
    """When the purge may delete the raw data of a repository untracked since then."""
    return untracked_since + timedelta(days=grace_days)
