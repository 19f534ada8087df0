"""A world: its repositories, its users and its virtual clock.

Repository items are generated on first use and kept in a bounded LRU cache (the large
world does not fit comfortably in memory all at once, and most tests touch a few
repositories). Because generation is deterministic, eviction is invisible to clients.
"""

from __future__ import annotations

import gc
import random
import threading
import time
from collections import OrderedDict

from .catalog import DELETED, RENAMED, WorldSpec, world_spec
from .entities import Repo
from .generate import DAY, HOUR, RepoData, generate_repo
from .ids import REPO_ID_BASE, node_id, repo_index_of_item
from .users import UserPool, build_users
from .views import RepoView

_LANGS = ("Python", "TypeScript", "Go", "Rust", "Java", None)


def iso(t: int | None) -> str | None:
    return None if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def floor_hour(t: float) -> int:
    return int(t) // HOUR * HOUR


class World:
    def __init__(
        self,
        name: str = "small",
        seed: int = 1,
        anchor: int | None = None,
        cache_items: int = 600_000,
    ) -> None:
        self.spec: WorldSpec = world_spec(name, seed)
        self.name, self.seed = name, seed
        self.anchor = floor_hour(time.time()) if anchor is None else int(anchor)
        self.now = self.anchor
        self.start = self.anchor - self.spec.history_days * DAY
        self.end = self.anchor + self.spec.future_days * DAY
        self._seed_key = f"{name}:{seed}:{self.anchor}"
        orgs = sorted({p.full_name.split("/")[0] for p in self.spec.repos})
        self.users, self.orgs = build_users(f"{name}:{seed}", self.spec.user_count, orgs)
        self._pool = UserPool(self.users)
        self.repos: list[Repo] = []
        self._by_name: dict[str, Repo] = {}
        self._by_id: dict[int, Repo] = {}
        rng = random.Random(f"repos:{self._seed_key}")
        for i, plan in enumerate(self.spec.repos):
            owner_login, name_ = plan.full_name.split("/")
            rid = REPO_ID_BASE + i
            repo = Repo(
                i,
                rid,
                self.orgs[owner_login],
                name_,
                node_id("Repository", rid),
                self.start - rng.randint(30, 2000) * DAY,
                f"The {name_} project",
                f"https://{name_}.example.org" if rng.random() < 0.3 else None,
                rng.choice(_LANGS),
                tuple(
                    rng.sample(
                        ("analytics", "cli", "web", "data", "infra", "ml"), rng.randint(0, 3)
                    )
                ),
                plan.archived,
                plan.has_discussions,
                "main",
                plan.rate,
            )
            self.repos.append(repo)
            self._by_name[repo.full_name.lower()] = repo
            self._by_id[rid] = repo
        self._cache: OrderedDict[int, RepoData] = OrderedDict()
        self._cache_items = cache_items
        self._cached_items = 0
        self._lock = threading.Lock()
        self._views: dict[int, RepoView] = {}

    # -- clock ------------------------------------------------------------------------
    def advance(self, hours: float) -> int:
        if hours < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self.now += int(hours * HOUR)
            self._views.clear()
        return self.now

    def now_iso(self) -> str:
        return iso(self.now) or ""

    # -- lookup -----------------------------------------------------------------------
    def resolve(self, full_name: str) -> tuple[str, Repo | None]:
        """("ok", repo) | ("renamed", repo) | ("deleted"/"missing", None)."""
        key = full_name.lower()
        if key in self._by_name:
            return "ok", self._by_name[key]
        if key in RENAMED:
            return "renamed", self._by_name[RENAMED[key]]
        return ("deleted" if key in DELETED else "missing"), None

    def repo_by_id(self, repo_id: int) -> Repo | None:
        return self._by_id.get(repo_id)

    def repo_of_item(self, item_id: int) -> Repo | None:
        idx = repo_index_of_item(item_id)
        return self.repos[idx] if 0 <= idx < len(self.repos) else None

    def data(self, repo: Repo) -> RepoData:
        d = self._cache.get(repo.index)
        if d is not None:
            return d
        with self._lock:
            d = self._cache.get(repo.index)
            if d is None:
                d = generate_repo(repo, self._pool, self._seed_key, self.start, self.end)
                # Generated items live long: keep the cyclic GC from rescanning them on
                # every full collection (a large world would stall requests for 100+ ms).
                gc.freeze()
                self._cache[repo.index] = d
                self._cached_items += d.count_items()
                while self._cached_items > self._cache_items and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cached_items -= old.count_items()
                    self._views.pop(old.repo.index, None)
            else:
                self._cache.move_to_end(repo.index)
        return d

    def prewarm(self) -> int:
        """Generate every repository now (and keep them all cached), so that a benchmark
        of the loaders never pays for generation. Returns the world's item count.
        Memory: ~0.65 GB for `large`."""
        self._cache_items = max(self._cache_items, 2**62)
        return sum(self.data(r).count_items() for r in self.repos)

    def view(self, repo: Repo) -> RepoView:
        """As-of-now view of a repository (sorted orders, counts), cached until advance."""
        v = self._views.get(repo.index)
        if v is None or v.t != self.now:
            v = RepoView(self.data(repo), self.now)
            self._views[repo.index] = v
        return v
