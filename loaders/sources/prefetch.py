"""Run several repositories' producers ahead in worker threads, consumed strictly in order.

Fetching is mostly waiting for GitHub; a few workers overlap those waits with the main
thread's row handling. Each worker borrows one client (clients are single-threaded) and
feeds a bounded queue, so memory stays bounded however large a repository is.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from loaders.github import GitHubClient

T = TypeVar("T")
Job = Callable[[GitHubClient], Iterator[T]]

#: Items a worker may run ahead of the consumer, per repository.
DEPTH = 8


class _Cancelled(Exception):
    pass


def _put(q: queue.Queue, item: Any, cancel: threading.Event) -> None:
    while True:
        try:
            q.put(item, timeout=0.1)
            return
        except queue.Full:
            if cancel.is_set():
                raise _Cancelled from None


def _drain(q: queue.Queue) -> Iterator[Any]:
    while True:
        kind, value = q.get()
        if kind == "item":
            yield value
        elif kind == "end":
            return
        else:
            raise value


def ordered(jobs: list[Job[T]], clients: list[GitHubClient]) -> Iterator[Iterator[T]]:
    """One iterator per job, in job order; each must be exhausted before the next."""
    pool: queue.Queue[GitHubClient] = queue.Queue()
    for client in clients:
        pool.put(client)
    queues: list[queue.Queue] = [queue.Queue(maxsize=DEPTH) for _ in jobs]
    cancel = threading.Event()

    def run(index: int) -> None:
        client = pool.get()
        try:
            for item in jobs[index](client):
                _put(queues[index], ("item", item), cancel)
            _put(queues[index], ("end", None), cancel)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the consumer, re-raised in its thread
            with contextlib.suppress(_Cancelled):
                _put(queues[index], ("error", exc), cancel)
        finally:
            pool.put(client)

    executor = ThreadPoolExecutor(max_workers=len(clients), thread_name_prefix="github-fetch")
    try:
        for index in range(len(jobs)):
            executor.submit(run, index)
        for q in queues:
            yield _drain(q)
    finally:
        cancel.set()  # the consumer stopped early (error or close): release blocked workers
        executor.shutdown(wait=True, cancel_futures=True)
