"""Which token (or GitHub App installation) pays for the next request, and what GitHub
says each one has left (the free `/rate_limit`). Mixed into `Transport`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from loaders.github.budget import Budget, epoch_to_datetime
from loaders.github.errors import BudgetExhausted, TransientError
from loaders.github.settings import GitHubSettings

if TYPE_CHECKING:
    from loaders.github.transport import Reply

log = logging.getLogger("loaders.github")

# Resources whose budget we track; `/rate_limit` may list more (search, ...).
TRACKED_RESOURCES = ("core", "graphql")


class TokenChoice:
    """Needs `settings`, `budget`, `now()`, `_sleep` and `send()` from `Transport`."""

    settings: GitHubSettings
    budget: Budget
    _sleep: Callable[[float], None]

    def now(self) -> float:
        raise NotImplementedError

    def send(self, method: str, url: str, **kwargs: Any) -> Reply:
        raise NotImplementedError

    def choose_token(self, resource: str | None, points: int, only: int | None = None) -> int:
        """The token with the most spendable budget (`only`: that one); waits for a reset
        only when it is near, otherwise raises `BudgetExhausted` *before* anything is spent."""
        if resource is None:
            return 0
        waited = False
        while True:
            unknown = self.budget.unknown_tokens(resource)
            for token in unknown if only is None else set(unknown) & {only}:
                self.fetch_rate_limit(token, resource)
            chosen = self.budget.pick_token(resource, points, only)
            if chosen is not None:
                return chosen
            reset = self.budget.earliest_reset(resource)
            wait = None if reset is None else reset - self.now() + 1
            if not waited and wait is not None and 0 < wait <= self.settings.max_wait_seconds:
                log.info(
                    "GitHub %s budget at the reserve; waiting %.0f s for reset", resource, wait
                )
                self._sleep(wait)
                waited = True
                continue
            raise BudgetExhausted(
                resource, epoch_to_datetime(reset), self._exhaustion_detail(resource, points)
            )

    def _exhaustion_detail(self, resource: str, points: int) -> str:
        parts = [f"next request needs {points} point(s), reserve {self.budget.reserve}"]
        if self.budget.share is not None:
            parts.append(f"budget share {self.budget.share:g}")
        limits = [
            e.limit for t in range(self.budget.token_count) if (e := self.budget.entry(t, resource))
        ]
        if limits and max(limits) <= self.budget.reserve:
            parts.append(f"the reserve is not below the hourly limit {max(limits)}")
        return ", ".join(parts)

    def fetch_rate_limit(self, token: int, wanted: str | None = None) -> None:
        """Read one token's budgets from the free `/rate_limit`. A 404 means the server does
        not rate-limit (GitHub Enterprise with limits disabled)."""
        url = f"{self.settings.api_url}/rate_limit"
        reply = self.send(
            "GET", url, kind="free", endpoint="/rate_limit", resource=None, token=token
        )
        if reply.response.status_code == 404:
            for resource in {*TRACKED_RESOURCES, *([wanted] if wanted else [])}:
                self.budget.mark_unlimited(token, resource)
            return
        resources = reply.body.get("resources") if isinstance(reply.body, dict) else None
        if reply.response.status_code != 200 or not isinstance(resources, dict):
            raise TransientError(f"/rate_limit answered HTTP {reply.response.status_code}", 1)
        for name, values in resources.items():
            try:
                self.budget.observe(
                    token,
                    name,
                    int(values["limit"]),
                    int(values["remaining"]),
                    float(values["reset"]),
                )
            except (KeyError, TypeError, ValueError):
                continue
        if wanted and wanted not in resources:
            self.budget.mark_unlimited(token, wanted)

    def refresh_all(self) -> None:
        for token in range(self.budget.token_count):
            self.fetch_rate_limit(token)
