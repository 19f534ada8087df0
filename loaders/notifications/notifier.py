"""Record notifications and deliver them to a webhook URL without blocking the caller.

The row is written first, in the caller's thread (so it exists even when delivery never
happens). Delivery runs on a daemon thread that only talks HTTP; its outcome is written back
by the caller's thread in `drain()`, because database connections here are not shared across
threads. A crash before `drain()` leaves the row `pending`: the next run's `drain()` picks up
rows left pending by earlier processes and delivers them then.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from loaders.warehouse import Warehouse

log = logging.getLogger("loaders.notifications")

KINDS = ("job_started", "job_completed", "job_failed")

Sender = Callable[[str, Mapping[str, Any], float], None]


class DeliveryRefused(RuntimeError):
    """The endpoint answered with a non-2xx status."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(f"HTTP {status}")


def post_json(url: str, payload: Mapping[str, Any], timeout: float) -> None:
    """POST the payload as JSON; any non-2xx answer is an error worth retrying."""
    response = requests.post(url, json=dict(payload), timeout=timeout)
    if not 200 <= response.status_code < 300:
        raise DeliveryRefused(response.status_code)


def _safe_target(url: str) -> str:
    """Host of the URL only: Slack webhook paths are secrets and never reach logs or rows."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


@dataclass(frozen=True)
class NotifierSettings:
    #: Slack-compatible incoming-webhook URL; None records rows without delivering them.
    url: str | None = None
    attempts: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifierSettings:
        """`WAREHOUSE_NOTIFY_URL`, `WAREHOUSE_NOTIFY_ATTEMPTS`."""
        env = os.environ if env is None else env
        url = env.get("WAREHOUSE_NOTIFY_URL") or None
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("WAREHOUSE_NOTIFY_URL must be an http(s) URL")
        attempts = int(env.get("WAREHOUSE_NOTIFY_ATTEMPTS", "4"))
        if attempts < 1:
            raise ValueError("WAREHOUSE_NOTIFY_ATTEMPTS must be at least 1")
        return cls(url=url, attempts=attempts)


@dataclass
class _Outcome:
    notification_id: int
    delivered: bool
    attempts: int
    error: str | None


@dataclass
class Notifier:
    """Writes notification rows on `warehouse` and ships them to `settings.url`."""

    warehouse: Warehouse
    settings: NotifierSettings = field(default_factory=NotifierSettings)
    sender: Sender = post_json
    sleep: Callable[[float], None] = time.sleep
    _outcomes: queue.Queue[_Outcome] = field(default_factory=queue.Queue, init=False)
    _threads: list[threading.Thread] = field(default_factory=list, init=False)

    def notify(
        self,
        kind: str,
        message: str,
        *,
        workspace_slug: str | None = None,
        job_id: int | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Record a notification and start delivering it; returns its id at once."""
        if kind not in KINDS:
            raise ValueError(f"unknown notification kind {kind!r}; expected one of {KINDS}")
        payload = {
            "text": message,
            "kind": kind,
            "workspace": workspace_slug,
            "job_id": job_id,
            **dict(details or {}),
        }
        schema = self.warehouse.settings.control_schema
        status = "pending" if self.settings.url else "not_configured"
        notification_id = int(
            self.warehouse.scalar(f"select nextval('{schema}.notification_id_seq')")
        )
        self.warehouse.execute(
            f"""
            insert into {schema}.notifications
                (id, kind, workspace_slug, job_id, message, payload_json, delivery_status)
            values (%(id)s, %(kind)s, %(workspace)s, %(job_id)s, %(message)s, %(payload)s,
                    %(status)s)
            """,
            {
                "id": notification_id,
                "kind": kind,
                "workspace": workspace_slug,
                "job_id": job_id,
                "message": message,
                "payload": json.dumps(payload, default=str),
                "status": status,
            },
        )
        if self.settings.url:
            self._start(notification_id, payload)
        return notification_id

    def _start(self, notification_id: int, payload: Mapping[str, Any]) -> None:
        thread = threading.Thread(
            target=self._deliver,
            args=(notification_id, payload),
            name=f"notify-{notification_id}",
            daemon=True,  # a stuck endpoint must never keep the process alive
        )
        self._threads.append(thread)
        thread.start()

    def _deliver(self, notification_id: int, payload: Mapping[str, Any]) -> None:
        assert self.settings.url is not None
        error: str | None = None
        for attempt in range(1, self.settings.attempts + 1):
            try:
                self.sender(self.settings.url, payload, self.settings.timeout_seconds)
            except Exception as exc:  # any failure is retried, then recorded
                # The exception text may embed the URL (requests does): keep only its type.
                what = str(exc) if isinstance(exc, DeliveryRefused) else type(exc).__name__
                error = f"{what} from {_safe_target(self.settings.url)}"
                log.warning(
                    "notification %s: attempt %d failed: %s", notification_id, attempt, error
                )
                if attempt < self.settings.attempts:
                    self.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
                continue
            self._outcomes.put(_Outcome(notification_id, True, attempt, None))
            return
        self._outcomes.put(_Outcome(notification_id, False, self.settings.attempts, error))

    def drain(self, timeout: float = 10.0) -> int:
        """Wait up to `timeout` seconds for deliveries in flight, record their outcomes, and
        resend rows an earlier (crashed) process left pending. Returns outcomes recorded."""
        if self.settings.url:
            self._resend_orphans()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = [t for t in self._threads if t.is_alive()]
        recorded = 0
        schema = self.warehouse.settings.control_schema
        while True:
            try:
                outcome = self._outcomes.get_nowait()
            except queue.Empty:
                break
            self.warehouse.execute(
                f"""
                update {schema}.notifications
                set delivery_status = %(status)s, delivery_attempts = %(attempts)s,
                    delivery_error = %(error)s,
                    delivered_at = case when %(delivered)s then current_timestamp end
                where id = %(id)s
                """,
                {
                    "status": "delivered" if outcome.delivered else "failed",
                    "attempts": outcome.attempts,
                    "error": outcome.error,
                    "delivered": outcome.delivered,
                    "id": outcome.notification_id,
                },
            )
            recorded += 1
        return recorded

    def _resend_orphans(self) -> None:
        in_flight = {int(t.name.split("-", 1)[1]) for t in self._threads}
        schema = self.warehouse.settings.control_schema
        rows = self.warehouse.query(
            f"select id, payload_json from {schema}.notifications "
            "where delivery_status = 'pending' order by id"
        )
        for row in rows:
            if row["id"] not in in_flight:
                self._start(int(row["id"]), json.loads(row["payload_json"]))
