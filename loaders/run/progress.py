"""Live progress of the long steps of `warehouse run` on a terminal: the load per repository,
dbt per node. Drawn by rich and erased when the step ends (its one-line summary follows), so
a terminal shows what is happening and a log keeps only the summaries. Off the terminal
(cron, CI, a pipe) `for_console` returns None and nothing extra is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# dbt's per-node lines: "12:00:01  5 of 98 START sql table model analytics.x ..... [RUN]",
# "5 of 98 OK created sql table model analytics.x ..... [OK in 0.41s]".
_NODE_LINE = re.compile(r"\b(\d+) of (\d+) (\S+) (.*?)\s*\.{3,}")


def _bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class LoadDisplay:
    """Repositories done of those planned, and the one being fetched with its rows so far."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("load", total=None)
        self.done = 0

    def started(self, repositories: int) -> None:
        self.bar.update(self.task, total=repositories, description="load: probing GitHub")

    def fetched(self, full_name: str, rows: int) -> None:
        self.bar.update(self.task, description=f"load: {full_name} {rows:,} rows")

    def finished(self, full_name: str, status: str) -> None:
        self.done += 1
        total = self.bar.tasks[0].total
        last = total is not None and self.done >= total
        description = "load: writing to the warehouse" if last else f"load: {full_name} {status}"
        self.bar.update(self.task, completed=self.done, description=description, refresh=True)


class DbtDisplay:
    """Nodes finished of dbt's total, and the node started last."""

    def __init__(self, bar: Progress, label: str) -> None:
        self.bar = bar
        self.label = label
        self.task = bar.add_task(label, total=None)
        self.finished = 0

    def line(self, text: str) -> None:
        match = _NODE_LINE.search(_ANSI.sub("", text))
        if match is None:
            return
        total, verb, rest = int(match.group(2)), match.group(3), match.group(4)
        node = rest.split()[-1] if rest.split() else ""
        if verb == "START":
            self.bar.update(self.task, total=total, description=f"{self.label}: {node}")
            return
        self.finished += 1
        self.bar.update(self.task, total=total, completed=self.finished, refresh=True)


class RunProgress:
    """The live displays of one run, bound to its console."""

    def __init__(self, console: Console) -> None:
        self.console = console

    @classmethod
    def for_console(cls, console: Console) -> RunProgress | None:
        return cls(console) if console.is_terminal else None

    @contextmanager
    def load(self) -> Iterator[LoadDisplay]:
        from loaders.sync.runner import observe_loads

        with _bar(self.console) as bar:
            display = LoadDisplay(bar)
            with observe_loads(display):
                yield display

    @contextmanager
    def dbt(self, label: str) -> Iterator[DbtDisplay]:
        with _bar(self.console) as bar:
            yield DbtDisplay(bar, label)
