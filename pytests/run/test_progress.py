"""The live displays of `warehouse run`: dbt's node lines and the load observer, drawn on a
forced terminal; nothing at all when the console is not a terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

from rich.console import Console

from loaders.run.progress import RunProgress
from loaders.sources import RepoWork
from loaders.sync.runner import _ObservedCollector

DBT_LOG = [
    "\x1b[0m21:06:01  Running with dbt=1.11.16\n",
    "\x1b[0m21:06:02  1 of 3 START sql view model analytics.stg_github__issues .... [RUN]\n",
    "\x1b[0m21:06:02  1 of 3 OK created sql view model analytics.stg_github__issues ...... "
    "[\x1b[32mOK\x1b[0m in 0.10s]\n",
    "21:06:02  2 of 3 START test not_null_stg_github__issues_id ............. [RUN]\n",
    "21:06:03  2 of 3 FAIL 1 not_null_stg_github__issues_id ................. [FAIL 1 in 0.05s]\n",
    "21:06:03  3 of 3 SKIP relation analytics.daily_activity_metrics ........ [SKIP]\n",
    "21:06:03  Done. PASS=1 WARN=0 ERROR=0 SKIP=1 TOTAL=3\n",
]


def _terminal() -> tuple[Console, StringIO]:
    out = StringIO()
    return Console(file=out, force_terminal=True, width=160), out


def test_dbt_nodes_are_counted_and_named() -> None:
    console, out = _terminal()
    progress = RunProgress.for_console(console)
    assert progress is not None
    seen = []
    with progress.dbt("dbt build") as display:
        task = display.bar.tasks[0]
        for line in DBT_LOG:
            display.line(line)
            seen.append((task.description, task.completed, task.total))
    assert seen[1] == ("dbt build: analytics.stg_github__issues", 0, 3)
    assert seen[3] == ("dbt build: not_null_stg_github__issues_id", 1, 3)
    assert seen[-1][1:] == (3, 3)
    assert "3/3" in out.getvalue()  # drawn on the terminal


def test_loads_report_each_repository() -> None:
    console, out = _terminal()
    progress = RunProgress.for_console(console)
    assert progress is not None
    since = datetime(2026, 1, 1, tzinfo=UTC)
    works = [
        RepoWork("acme/api", frozenset({"repositories", "issues"}), since),
        RepoWork("acme/web", frozenset({"repositories"}), since),
    ]
    with progress.load() as display:
        collector = _ObservedCollector(display, works)
        display.started(len(works))
        task = display.bar.tasks[0]
        api = collector.result("acme/api")
        api.set("repositories", "success")
        api.rows["issues"] += 40
        api.rows["issues"] += 2
        assert task.description == "load: acme/api 42 rows"
        assert display.done == 0  # issues still running
        api.set("issues", "partial")
        assert (task.description, task.completed) == ("load: acme/api partial", 1)
        collector.result("acme/web").set("repositories", "success")
        assert (task.completed, task.total) == (2, 2)
        assert task.description == "load: writing to the warehouse"
    assert "load: writing to the warehouse" in out.getvalue()  # drawn on the terminal


def test_no_display_off_a_terminal() -> None:
    assert RunProgress.for_console(Console(file=StringIO(), force_terminal=False)) is None
