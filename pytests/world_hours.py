"""Pick the emulator hour a scenario test runs at.

The emulator's world is a function of (name, seed, anchor hour): at some hours the small
world has no open draft pull request, at others no release. A test whose scenario needs
such a thing runs at the latest recent hour that has it, so it stays close to the real
clock (the loaders' windows use it) and never depends on the hour CI happens to start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace

from loaders.emulator.world.generate import HOUR
from loaders.emulator.world.world import World, floor_hour


def latest_hour_where(
    scenario: Callable[[SimpleNamespace], bool],
    world: str = "small",
    seed: int = 1,
    hours: int = 72,
) -> int:
    """The latest anchor (epoch seconds, on the hour, at most `hours` back) whose world
    satisfies `scenario`, called with an object having `.world` and `.now` like an
    emulator handle."""
    now = floor_hour(time.time())
    for back in range(hours):
        anchor = now - back * HOUR
        if scenario(SimpleNamespace(world=World(world, seed, anchor=anchor), now=anchor)):
            return anchor
    raise AssertionError(f"no hour of the last {hours} gives the {world} world the scenario")
