"""daily_activity_metrics equals the emulator's truth for the `small` world, on both engines, in
every metric the truth computes (counts, active and new contributors, average hours),
after a first load and again after the world moved a day (late closes, merges, comments) and
an incremental build; a full refresh then gives the same rows.

The truth (`/_emulator/truth`) implements docs/metrics.md independently of the SQL.
`prs_commented` is compared too (0 wherever the truth lists none), and the issue-13 tables
and issue_pull_request_links reconcile with the truth's counts and keys
(pytests/dbt/emulator_conversations.py) once the emulator generates them.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from loaders.emulator.testing import run_emulator
from loaders.emulator.truth import ALL_METRICS, AVERAGE_METRICS
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.emulator_conversations import assert_conversations_match_truth
from pytests.dbt.helpers import daily_rows, dbt, diff_metrics, live_repository_names
from pytests.loaders.helpers import load_everything

# Every metric the truth computes, and prs_commented even where it lists none (then 0).
METRICS = list(dict.fromkeys([*ALL_METRICS, "prs_commented"]))
MODELS = ("+daily_activity_metrics", "+issue_pull_request_links", "stg_github__pull_request_labels")


def _as_of(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def _expected(truth: dict, ids: dict[str, int], today: date) -> dict:
    """Truth per (repository_id, day) for the 365-day window, zeros on quiet days."""
    want = {}
    for name, entry in truth["repositories"].items():
        rid = ids.get(name.lower())
        if rid is None:
            continue
        for back in range(365):
            day = today - timedelta(days=back)
            want[(rid, day)] = dict(entry["daily"].get(day.isoformat(), {}))
            for metric in METRICS:
                want[(rid, day)].setdefault(metric, None if metric in AVERAGE_METRICS else 0)
    return want


def _load(settings: WarehouseSettings, gh, names: list[str]) -> dict[str, int]:
    with connect(settings) as warehouse:
        load_everything(warehouse, gh, names)
        raw = warehouse.settings.raw_schema
        return {
            r["full_name"]: int(r["id"])
            for r in warehouse.query(
                f"select lower(full_name) as full_name, id from {raw}.repositories"
            )
        }


def test_daily_metrics_equal_emulator_truth_small_world(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    with run_emulator("small", seed=1) as gh:
        names = live_repository_names(gh)
        with connect(settings) as warehouse:
            control_rows.track(warehouse, control_rows.one_workspace("all", names))
        ids = _load(settings, gh, names)
        dbt(
            settings, "build", "--select", *MODELS,
            "--exclude", "test_type:data", "test_type:unit", as_of=_as_of(gh.now),
        )  # fmt: skip
        today = date.fromisoformat(_as_of(gh.now)[:10])
        assert diff_metrics(daily_rows(settings), _expected(gh.truth(), ids, today), METRICS) == []
        compared = assert_conversations_match_truth(settings, gh, ids)

        gh.advance(24)  # late labels, links and review requests land
        ids = _load(settings, gh, names)
        dbt(settings, "run", "--select", *MODELS, as_of=_as_of(gh.now))
        incremental = daily_rows(settings)
        today = date.fromisoformat(_as_of(gh.now)[:10])
        assert diff_metrics(incremental, _expected(gh.truth(), ids, today), METRICS) == []
        assert assert_conversations_match_truth(settings, gh, ids) == compared

    dbt(
        settings, "run", "--select", "+daily_activity_metrics", "--full-refresh",
        as_of=_as_of(gh.now),
    )  # fmt: skip
    full = daily_rows(settings)
    assert diff_metrics(incremental, full, [*METRICS, "is_complete"]) == []
