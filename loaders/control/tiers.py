"""Tier and add-on rules, read from the dbt seeds so SQL and Python share one source of truth."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class Tier:
    name: str
    retention_days: int
    sync_frequency_hours: int
    max_repositories: int
    priority_points: int


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load_tiers(seeds_dir: Path = SEEDS_DIR) -> dict[str, Tier]:
    return {
        row["tier"]: Tier(
            name=row["tier"],
            retention_days=int(row["retention_days"]),
            sync_frequency_hours=int(row["sync_frequency_hours"]),
            max_repositories=int(row["max_repositories"]),
            priority_points=int(row["priority_points"]),
        )
        for row in _read_csv(seeds_dir / "tiers.csv")
    }


@cache
def load_addon_retention(seeds_dir: Path = SEEDS_DIR) -> dict[str, int]:
    """Add-on name → retention days it grants."""
    return {row["addon"]: int(row["retention_days"]) for row in _read_csv(seeds_dir / "addons.csv")}
