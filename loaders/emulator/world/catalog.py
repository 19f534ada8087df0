"""World definitions: which repositories exist, how busy they are, how much history.

A world is fully determined by (name, seed, anchor). Repository *specs* are cheap and
built at start-up; their items are generated lazily per repository (see `generate`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Every world keeps these so tests can rely on them.
RENAMED: dict[str, str] = {"nebula/old-orbit": "nebula/orbit"}
DELETED: frozenset[str] = frozenset({"quietco/deleted-repo"})

# (full name, issues per day, has discussions, archived)
DEMO_REPOS: tuple[tuple[str, float, bool, bool], ...] = (
    ("acme/api-server", 5.0, True, False),
    ("acme/web-app", 2.5, False, False),
    ("acme/infra", 0.5, False, False),
    ("acme/design-system", 0.4, True, False),
    ("dataworks/pipeline", 1.8, True, False),
    ("dataworks/notebooks", 0.15, False, False),
    ("nebula/orbit", 1.2, True, False),
    ("nebula/stardust", 0.08, False, False),
    ("quietco/tiny-utils", 0.02, False, True),
)

ORGS = ("acme", "dataworks", "nebula", "quietco", "opentail", "bytefarm", "lumen", "corvid")


@dataclass(frozen=True, slots=True)
class RepoPlan:
    full_name: str
    rate: float
    has_discussions: bool
    archived: bool


@dataclass(frozen=True, slots=True)
class WorldSpec:
    name: str
    history_days: int
    future_days: int
    user_count: int
    repos: tuple[RepoPlan, ...]


def _small(rng: random.Random) -> tuple[RepoPlan, ...]:
    keep = ("acme/api-server", "acme/web-app", "nebula/orbit", "quietco/tiny-utils")
    plans = [RepoPlan(n, min(r, 0.6), d, a) for n, r, d, a in DEMO_REPOS if n in keep]
    for i in range(6):
        plans.append(
            RepoPlan(f"opentail/lib-{i:02d}", round(rng.uniform(0.02, 0.3), 3), i % 3 == 0, False)
        )
    return tuple(plans)


def _large(rng: random.Random) -> tuple[RepoPlan, ...]:
    plans = [RepoPlan(n, r, d, a) for n, r, d, a in DEMO_REPOS]
    # A handful of very busy repositories…
    for i in range(8):
        plans.append(RepoPlan(f"bytefarm/monorepo-{i}", rng.uniform(12, 20), True, False))
    # …and a long tail of quiet ones (Pareto-distributed activity).
    for i in range(1100):
        org = ORGS[4 + i % 4]
        rate = min(0.02 * rng.paretovariate(1.1), 3.0)
        plans.append(
            RepoPlan(
                f"{org}/project-{i:04d}", round(rate, 4), rng.random() < 0.15, rng.random() < 0.05
            )
        )
    return tuple(plans)


def world_spec(name: str, seed: int) -> WorldSpec:
    rng = random.Random(f"catalog:{name}:{seed}")
    if name == "demo":
        repos = tuple(RepoPlan(*r) for r in DEMO_REPOS)
        return WorldSpec("demo", history_days=400, future_days=60, user_count=8000, repos=repos)
    if name == "small":
        return WorldSpec(
            "small", history_days=90, future_days=30, user_count=400, repos=_small(rng)
        )
    if name == "large":
        return WorldSpec(
            "large", history_days=365, future_days=30, user_count=40000, repos=_large(rng)
        )
    raise ValueError(f"unknown world {name!r} (expected demo, small or large)")
