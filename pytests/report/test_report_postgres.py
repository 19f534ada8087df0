"""The report's SQL on PostgreSQL: the same run as the browser test, on a throwaway database;
the tiles printed in the page equal PostgreSQL's mart rows and the moving averages match
repository_trends. (The browser part is engine-independent: test_report_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest

from loaders.report.queries import daily_sql
from pytests.conftest import make_settings
from pytests.report.helpers import Built, build_with_report, fmt, mart

pytestmark = pytest.mark.postgres

TILE = re.compile(
    r'<div class="tile" data-range="([^"]+)" data-metric="([^"]+)">.*?'
    r'<div class="tile-value">([^<]*)</div>.*?<span class="tile-previous">([^<]*)</span>',
    re.S,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("report_pg")
    for settings in make_settings("postgres", tmp):
        yield build_with_report(settings, tmp)


def test_postgres_pages_show_the_marts(built: Built) -> None:
    html = (built.out / "small-team.html").read_text()
    tiles = {(r, m): (unescape(v), unescape(p)) for r, m, v, p in TILE.findall(html)}
    rows = mart(
        built.settings,
        "select * from analytics.workspace_metrics_cache where workspace_slug = 'small-team' "
        "and time_range <> 'all'",
    )
    assert len(rows) == 4 and len(tiles) == 40
    for row in rows:
        for (rng, metric), (value, previous) in tiles.items():
            if rng == row["time_range"]:
                assert (value, previous) == (fmt(row[metric]), fmt(row[f"{metric}_previous"]))
    assert 'id="chart-commits_count"' in html and 'id="chart-backfill"' in html
    partial = mart(
        built.settings,
        """select count(*) as n from analytics.sync_queue q
        join analytics.repository_history_coverage c on c.full_name = q.full_name
        where q.workspace_slug = 'small-team' and not c.is_history_complete""",
    )[0]["n"]
    assert partial == 1 and 'id="history-partial"' not in html
    assert html.count('<span class="badge partial">partial</span>') == partial
    assert 'id="history-partial"' in (built.out / "solo.html").read_text()


def test_postgres_moving_averages_match_repository_trends(built: Built) -> None:
    ours = mart(built.settings, daily_sql("analytics"), slug="solo")
    theirs = {
        str(r["activity_date"]): r
        for r in mart(
            built.settings,
            "select * from analytics.repository_trends where full_name = 'acme/api-server'",
        )
    }
    assert len(ours) > 28
    for row in ours[27:]:
        trend = theirs[str(row["activity_date"])]
        for metric in ("commits_count", "issues_opened"):
            for window in ("7d", "28d"):
                assert row[f"{metric}_{window}_avg"] == pytest.approx(
                    float(trend[f"{metric}_{window}_avg"]), abs=1e-6
                )
