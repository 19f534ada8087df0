"""In-process emulator for tests: `with run_emulator("small", seed=1) as gh: ...`.

The server runs in a daemon thread on a free 127.0.0.1 port. Control calls go straight to
the in-process `Emulator` (same effect as the `/_emulator/*` endpoints, without HTTP).

    from loaders.emulator.testing import run_emulator

    @pytest.fixture
    def github():
        with run_emulator("small", seed=1) as gh:
            yield gh          # gh.base_url, gh.token, gh.advance(24), gh.truth(), ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .core import Emulator
from .ratelimit import Limits
from .server import EmulatorServer
from .world.world import World

DEFAULT_TOKEN = "ghp_emulator_test_token"


class EmulatorHandle:
    """What `run_emulator` yields."""

    def __init__(self, server: EmulatorServer) -> None:
        self._server = server
        self.emulator: Emulator = server.state
        self.token = DEFAULT_TOKEN

    @property
    def base_url(self) -> str:
        """API base URL (REST at `{base_url}/…`, GraphQL at `{base_url}/graphql`)."""
        return self._server.base_url

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/graphql"

    @property
    def world(self) -> World:
        return self.emulator.world

    @property
    def now(self) -> int:
        """The virtual clock, epoch seconds."""
        return self.world.now

    def advance(self, hours: float) -> int:
        """Move the virtual clock forward; returns the new now (epoch seconds)."""
        return self.emulator.advance(hours)

    def stats(self) -> dict:
        return self.emulator.stats()

    def reset_stats(self) -> None:
        self.emulator.counters.reset()

    def truth(self, repo: str | None = None) -> dict:
        return self.emulator.truth(repo)

    def set_budgets(self, reset: bool = False, **limits: int) -> None:
        """e.g. `set_budgets(core=10, graphql=5)`; see `Limits` for every setting."""
        self.emulator.set_budgets(reset=reset, **limits)

    def inject_faults(
        self,
        script: list[dict] | None = None,
        rate: dict | None = None,
        clear: bool = False,
        **extra: Any,
    ) -> None:
        """`inject_faults(script=[{"kind": "502", "match": "/graphql", "count": 2}])` or
        `inject_faults(rate={"kinds": ["502", "504"], "rate": 0.2})`."""
        spec: dict[str, Any] = {"clear": clear, **extra}
        if script is not None:
            spec["script"] = script
        if rate is not None:
            spec["rate"] = rate
        self.emulator.faults.configure(spec)

    def clear_faults(self) -> None:
        self.emulator.faults.clear()

    def add_tokens(self, *tokens: str) -> None:
        """Accept these exact tokens too (the default prefixes stay accepted)."""
        self.emulator.tokens.update(tokens)

    def configure_app(
        self,
        app_id: int,
        public_key: str,
        token_ttl_seconds: float = 3600.0,
        accounts: list[str] | None = None,
    ) -> None:
        """Register a GitHub App (== POST /_emulator/app); see `Emulator.configure_app`."""
        self.emulator.configure_app(app_id, public_key, token_ttl_seconds, accounts)

    def set_pricing(self, pricing: str) -> None:
        """`documented`, `count_per_parent`, `ids_multiply` or `pessimistic` (cost.py)."""
        self.emulator.set_pricing(pricing)

    def revoke_app_tokens(self) -> None:
        """Expire every installation token now (== POST /_emulator/app {"revoke": true})."""
        self.emulator.app.revoke_all()

    @property
    def embeddings_url(self) -> str:
        """Base URL of the OpenAI-compatible embeddings endpoint (`{url}/embeddings`)."""
        return f"{self.base_url}/v1"

    def script_embeddings(self, script: list[str] | None = None, dimension: int = 16) -> None:
        """Faults for the next embeddings requests (see `embeddings_api`); clears the log."""
        self.emulator.embeddings.configure(script, dimension)

    def embeddings_log(self) -> dict:
        return self.emulator.embeddings.log()

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"bearer {token or self.token}"}


@contextmanager
def run_emulator(
    world: str = "small",
    seed: int = 1,
    anchor: int | None = None,
    limits: Limits | None = None,
    tokens: tuple[str, ...] = (),
    prewarm: bool = False,
    **budgets: int,
) -> Iterator[EmulatorHandle]:
    """Start an emulator on a free 127.0.0.1 port for the duration of the block.

    `anchor` pins the virtual clock's start (epoch seconds; default: now floored to the
    hour) so tests can be fully reproducible; `budgets` are `Limits` fields
    (`core=100, graphql=50, retry_after=1, ...`); `prewarm=True` generates every repository
    up front (benchmarks on `large`: ~10-15 s, ~0.65 GB)."""
    lim = limits or Limits()
    for k, v in budgets.items():
        if not hasattr(lim, k):
            raise TypeError(f"unknown budget setting {k!r}")
        setattr(lim, k, v)
    server = EmulatorServer.create(
        world=world, seed=seed, anchor=anchor, limits=lim, tokens=tokens, prewarm=prewarm
    ).start()
    try:
        yield EmulatorHandle(server)
    finally:
        server.shutdown()
