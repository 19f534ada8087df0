"""Exit codes of `warehouse run`, `warehouse backfill start|retry` and `warehouse demo`,
chosen so a scheduler can act on them (documented in docs/running.md)."""

from __future__ import annotations

OK = 0  #: everything due was loaded, dbt build and freshness passed
FAILURE = 1  #: a step failed (dbt build, a backfill job failed, GitHub refused every request ...)
BAD_INPUT = 2  #: bad configuration, settings (GitHub token, API URL) or arguments; nothing changed
LOCKED = 3  #: another run holds the run lock, or another process the DuckDB file; nothing done
PARTIAL = 4  #: finished cleanly but some work waits for the next run (budget spent,
#: repositories deferred or failed); rerun later, nothing to fix by hand

DESCRIPTIONS = {
    OK: "success",
    FAILURE: "failure: a step failed; see the messages above",
    BAD_INPUT: "bad input: fix the configuration, settings or arguments; nothing was changed",
    LOCKED: "another run holds the lock (or another process the DuckDB file); nothing was done",
    PARTIAL: "partial: some work was deferred (budget) or some repositories failed",
}

HELP = (
    "Exit codes: 0 success; 1 failure (a step failed); 2 bad input or settings, e.g. no "
    "GitHub token (nothing changed); 3 another run holds the lock, or another process the "
    "DuckDB file (nothing done); 4 partial (budget spent or some "
    "repositories deferred/failed: the next run continues)."
)
