"""Crash safety on both engines: batches commit one at a time, so a provider that stops
(or a process that dies) mid-run keeps what was committed and the next run embeds only
the rest; bad text (empty, huge, NUL-free odd bytes, code blocks) embeds fine."""

from __future__ import annotations

import pytest

from loaders.embeddings import HashingProvider, OpenAIProvider, embed_pending
from loaders.embeddings.provider import EmbeddingBatch
from loaders.emulator.testing import run_emulator
from loaders.warehouse import Warehouse

BODIES = ["", "x" * 100_000, "caf\ufffd \u00e9t\u00e9 \U0001f600", "```\nTraceback\n```", None]


def _raw_issues(wh: Warehouse, count: int = 5) -> None:
    wh.execute("create schema if not exists github_raw")
    wh.execute(
        "create table github_raw.issues (id bigint, repository_id bigint, title text, "
        "body text, _dlt_load_id text)"
    )
    for n in range(count):
        wh.execute(
            "insert into github_raw.issues values (%(id)s, 7, %(title)s, %(body)s, '1.0')",
            {"id": n + 1, "title": f"Issue {n}", "body": BODIES[n % len(BODIES)]},
        )


def _stored(wh: Warehouse) -> int:
    return int(wh.scalar("select count(*) from github_raw.embeddings"))


def test_provider_stopping_mid_run_resumes_without_repeats(warehouse: Warehouse) -> None:
    _raw_issues(warehouse)
    with run_emulator("small") as server:
        server.script_embeddings(["ok", "500"], dimension=16)
        sleeps: list[float] = []
        provider = OpenAIProvider(
            server.embeddings_url, "fake", batch_size=2, max_retries=0, sleep=sleeps.append
        )
        stopped = embed_pending(warehouse, provider)
        assert (stopped.pending, stopped.embedded, stopped.complete) == (5, 2, False)
        assert "HTTP 500" in (stopped.error or "") and "next run continues" in str(stopped)
        assert _stored(warehouse) == 2
        resumed = embed_pending(warehouse, provider)
        assert (resumed.pending, resumed.embedded, resumed.complete) == (3, 3, True)
        sent = sum(request["inputs"] for request in server.embeddings_log()["log"])
    # Issue 1 and 2 went in the first (committed) batch; the failed batch's two are resent.
    assert sent == 2 + 2 + 3
    assert resumed.tokens > 0 and _stored(warehouse) == 5
    huge = warehouse.scalar("select dimension from github_raw.embeddings where item_id = 2")
    assert huge == 16


class DiesOnSecondBatch(HashingProvider):
    batch_size = 2

    def __init__(self) -> None:
        super().__init__(32)
        self.calls = 0

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt  # the process is killed mid-run
        return super().embed(texts)


def test_crash_keeps_committed_batches(warehouse: Warehouse) -> None:
    _raw_issues(warehouse)
    provider = DiesOnSecondBatch()
    with pytest.raises(KeyboardInterrupt):
        embed_pending(warehouse, provider)
    assert _stored(warehouse) == 2
    rest = embed_pending(warehouse, HashingProvider(32))
    assert (rest.pending, rest.embedded) == (3, 3)
    keys = warehouse.query(
        "select item_id, count(*) as n from github_raw.embeddings group by item_id order by 1"
    )
    assert [(int(k["item_id"]), k["n"]) for k in keys] == [(i, 1) for i in range(1, 6)]
