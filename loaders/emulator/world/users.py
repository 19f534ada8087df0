"""The user pool of a world: people, a few bots, a few deleted accounts, organisations."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .entities import User
from .ids import USER_ID_BASE, node_id

_SYL = (
    "ka",
    "lo",
    "mi",
    "ren",
    "to",
    "sa",
    "vi",
    "dan",
    "el",
    "mo",
    "ra",
    "zu",
    "pe",
    "li",
    "no",
    "ash",
    "ber",
    "cy",
    "dru",
    "fen",
    "gil",
    "hal",
    "ira",
    "jo",
    "kes",
    "lun",
)
_BOTS = ("dependabot[bot]", "renovate[bot]", "github-actions[bot]", "codecov[bot]")


def _login(rng: random.Random, i: int) -> str:
    base = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3)))
    return f"{base}{i}" if rng.random() < 0.6 else f"{base}-{i}"


def build_users(seed_key: str, count: int, orgs: list[str]) -> tuple[list[User], dict[str, User]]:
    """All users of a world (index 0.. are people/bots), plus organisations by login."""
    rng = random.Random(f"users:{seed_key}")
    users: list[User] = []
    for i in range(count):
        uid = USER_ID_BASE + i
        if i < len(_BOTS):
            users.append(User(uid, _BOTS[i], node_id("Bot", uid), is_bot=True))
            continue
        deleted = rng.random() < 0.02
        users.append(User(uid, _login(rng, i), node_id("User", uid), is_deleted=deleted))
    org_by_login = {}
    for j, login in enumerate(orgs):
        oid = USER_ID_BASE + count + j
        org_by_login[login] = User(oid, login, node_id("Organization", oid), is_org=True)
    return users, org_by_login


@dataclass
class UserPool:
    """A world's users, with the sub-lists generation draws from (built once per world)."""

    all: list[User]
    people: list[User] = field(init=False)  # real, living accounts: stargazers, fork owners
    bots: list[User] = field(init=False)

    def __post_init__(self) -> None:
        self.people = [u for u in self.all if not (u.is_bot or u.is_deleted)]
        self.bots = [u for u in self.all if u.is_bot]
