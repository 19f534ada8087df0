"""Shared machinery of repository generation: vocabulary, random timelines, ids, events."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

from .entities import (
    NEVER,
    Repo,
    User,
)
from .ids import ITEM_ID_SPAN
from .repodata import RepoData
from .users import UserPool

T = TypeVar("T")
DAY = 86_400
HOUR = 3_600
# One string, split once: the vocabulary reads as text and stays compact.
_VOCABULARY = (
    "fix add cache parser retry docs flaky test config crash upgrade refactor api login "
    "timeout memory build deploy ui query index schema error support export import slow page"
)
WORDS = tuple(_VOCABULARY.split(" "))
LABELS = (
    ("bug", "d73a4a"), ("enhancement", "a2eeef"), ("documentation", "0075ca"),
    ("good first issue", "7057ff"), ("question", "d876e3"), ("performance", "fbca04"),
)  # fmt: skip
PATHS = (
    "src/app.py", "src/api/routes.py", "src/db.py", "README.md", "tests/test_api.py",
    "web/index.ts", "web/components/Button.tsx", "infra/main.tf", "docs/guide.md",
)  # fmt: skip
REVIEW_STATES = ("APPROVED", "APPROVED", "COMMENTED", "CHANGES_REQUESTED")
CATEGORIES = (
    ("Announcements", "announcements", ":mega:", False),
    ("General", "general", ":speech_balloon:", False),
    ("Ideas", "ideas", ":bulb:", False),
    ("Q&A", "q-a", ":pray:", True),
)


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """`rng.choice` without its rejection loop: generation makes ~300k draws per busy repo."""
    return seq[int(rng.random() * len(seq))]


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class GenBase:
    def __init__(
        self, repo: Repo, pool: UserPool, rng: random.Random, start: int, end: int
    ) -> None:
        self.repo, self.rng, self.start, self.end = repo, rng, start, end
        self.users, self.people, self.bots = pool.all, pool.people, pool.bots
        users = pool.all
        self.seq = 0
        self.base = (repo.index + 1) * ITEM_ID_SPAN
        self.data = RepoData(repo)
        # A core team does most of the work; anyone may open issues or star.
        n_core = max(2, min(40, int(3 + repo.rate * 3)))
        self.core = [users[i] for i in rng.sample(range(len(users)), n_core)]

    def new_id(self) -> int:
        self.seq += 1
        return self.base + self.seq

    def times(self, per_day: float) -> list[int]:
        """Sorted event times over [start, end], quieter at weekends."""
        rng, span = self.rng, self.end - self.start
        n = poisson(rng, per_day * span / DAY)
        out = []
        for _ in range(n):
            t = self.start + int(rng.random() * span)
            if (t // DAY + 3) % 7 >= 5 and rng.random() < 0.6:  # weekend: retry once
                t = self.start + int(rng.random() * span)
            out.append(t)
        out.sort()
        return out

    def person(self) -> User | None:
        """An actor; None stands for a deleted account (`ghost`), a few percent of the time."""
        rng = self.rng
        if rng.random() < 0.04:
            return None
        u = pick(rng, self.core) if rng.random() < 0.6 else pick(rng, self.users)
        return None if u.is_deleted else u

    def later(self, t: int, mean_hours: float) -> int:
        return t + 60 + int(self.rng.expovariate(1.0 / (mean_hours * HOUR)))

    def title(self) -> str:
        rng = self.rng
        return " ".join(pick(rng, WORDS) for _ in range(rng.randint(2, 6))).capitalize()

    def register(self, obj: object, item_id: int) -> None:
        self.data.by_id[item_id] = obj

    # -- entities -----------------------------------------------------------------------

    def finish(self) -> RepoData:
        d = self.data
        d.issue_comments = sorted(
            (c for i in d.issues for c in i.comments), key=lambda c: (c.created_at, c.id)
        )
        d.t_issue_comments = [c.created_at for c in d.issue_comments]
        d.review_comments.sort(key=lambda c: (c.created_at, c.id))
        d.t_review_comments = [c.created_at for c in d.review_comments]
        for prev, c in zip(d.commits, d.commits[1:], strict=False):
            c.parent = prev.sha
        d.issuelike = [d.by_number[n] for n in sorted(d.by_number)]
        d.t_issuelike = [x.created_at for x in d.issuelike]
        d.state_events = sorted(
            (e for i in d.issues for e in i.state_events), key=lambda e: (e.created_at, e.id)
        )
        d.t_state_events = [e.created_at for e in d.state_events]
        d.reviews = sorted(
            (r for p in d.pulls for r in p.reviews), key=lambda r: (r.submitted_at, r.id)
        )
        d.t_reviews = [r.submitted_at for r in d.reviews]
        d.closed_pulls = sorted(
            (p for p in d.pulls if p.closed_at != NEVER), key=lambda p: (p.closed_at, p.id)
        )
        d.t_closed_pulls = [p.closed_at for p in d.closed_pulls]
        d.published = sorted(
            (r for r in d.releases if r.published_at is not None),
            key=lambda r: (r.published_at or 0, r.id),
        )
        d.t_published = [r.published_at or 0 for r in d.published]
        # Feed event ids put commits and stars above this bound (see feed.py).
        assert self.seq < 5_000_000, "too many items for one repository's id range"
        return d
