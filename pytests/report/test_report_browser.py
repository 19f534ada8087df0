"""The report in a real browser: headless Chromium (Debian package) opens the pages from
file:// with the network disabled. DuckDB here; test_report_postgres.py runs the same SQL on
PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings
from pytests.report.browser import checks, dump_dom, screenshot
from pytests.report.helpers import Built, build_with_report, env, fmt, mart

DAILY = ("commits_count", "prs_opened", "prs_merged", "issues_opened", "issues_closed", "stars")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("report")
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp / "warehouse.duckdb")
    yield build_with_report(settings, tmp)


def test_charts_draw_offline_without_errors(built: Built, tmp_path: Path) -> None:
    page = built.out / "small-team.html"
    assert "report: " in built.output and str(page) in built.output
    html = page.read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "everything must be inline"
    dom = dump_dom(page, tmp_path)
    got = checks(dom)
    assert got["errors"] == [] and got["external_requests"] == []
    assert len(got["charts"]) == got["expected_charts"] > len(DAILY)
    assert all(sum(c.values()) > 0 for c in got["charts"].values()), got["charts"]

    daily = mart(
        built.settings,
        "select count(*) as n from analytics.workspace_daily_activity "
        "where workspace_slug = 'small-team'",
    )[0]["n"]
    for metric in DAILY:
        chart = got["charts"][f"chart-{metric}"]
        assert chart["bars"] == daily and chart["lines"] == 2, (metric, chart)
    # One diamond per day of the chart on which repository_trends flags a commits anomaly in
    # the workspace. A repository another workspace also tracks has trends (and anomalies)
    # before this workspace's window; the chart starts at the window, so they are not drawn.
    anomaly_days = mart(
        built.settings,
        """select count(distinct t.activity_date) as n from analytics.repository_trends t
        join analytics.sync_queue q on q.repository_id = t.repository_id
        join analytics.workspace_daily_activity d
            on d.workspace_slug = q.workspace_slug and d.activity_date = t.activity_date
        where q.workspace_slug = 'small-team' and t.is_commits_count_anomaly""",
    )[0]["n"]
    assert got["charts"]["chart-commits_count"]["markers"] == anomaly_days
    assert got["charts"]["chart-backfill"]["bars"] == 3  # the pending job's repositories
    assert ("Job #" in html and "partial" in html) or "complete" in html


def test_tiles_equal_the_metrics_cache(built: Built, tmp_path: Path) -> None:
    got = checks(dump_dom(built.out / "small-team.html", tmp_path))
    tiles = {(r, m): (value, previous, trend) for r, m, value, previous, trend in got["tiles"]}
    rows = mart(
        built.settings,
        "select * from analytics.workspace_metrics_cache where workspace_slug = 'small-team' "
        "and time_range <> 'all'",
    )
    assert len(rows) == 4 and len(tiles) == 4 * 10
    saw_na = saw_trend = False
    for row in rows:
        for (rng, metric), (value, previous, trend) in tiles.items():
            if rng != row["time_range"]:
                continue
            assert value == fmt(row[metric]), (rng, metric)
            assert previous == fmt(row[f"{metric}_previous"]), (rng, metric)
            pct = row[f"{metric}_trend_pct"]
            if row[f"{metric}_previous"] in (None, 0):
                assert trend == "n/a"
                saw_na = True
            else:
                assert trend.endswith(f"{pct:+.1f}%") and trend[0] in "▲▼■"
                saw_trend = True
    assert saw_na and saw_trend  # the small world has both (90d/1y have no previous period)


def test_moving_averages_match_repository_trends(built: Built) -> None:
    # `solo` tracks one repository: the report's window functions over its workspace series
    # must give repository_trends' averages for that repository.
    from loaders.report.queries import daily_sql

    ours = mart(built.settings, daily_sql("analytics"), slug="solo")
    theirs = {
        str(r["activity_date"]): r
        for r in mart(
            built.settings,
            "select * from analytics.repository_trends where full_name = 'acme/api-server'",
        )
    }
    assert len(ours) > 28
    compared = 0
    for row in ours[27:]:  # past the first 28 days both windows are full
        trend = theirs[str(row["activity_date"])]
        for metric in ("commits_count", "prs_opened", "stars"):
            for window in ("7d", "28d"):
                assert row[f"{metric}_{window}_avg"] == pytest.approx(
                    float(trend[f"{metric}_{window}_avg"]), abs=1e-6
                ), (row["activity_date"], metric, window)
                compared += 1
    assert compared > 100


def test_phone_width_and_screenshot(built: Built, tmp_path: Path) -> None:
    page = built.out / "small-team.html"
    # 500 px: the narrowest window headless Chromium opens; the page must not scroll sideways.
    narrow = checks(dump_dom(page, tmp_path, width=500, height=900))
    assert narrow["viewport_width"] <= 500 and narrow["overflow_x"] is False
    assert narrow["errors"] == []
    shot = screenshot(page, tmp_path / "small-team.png", tmp_path)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 50_000 < shot.stat().st_size < 5_000_000


def test_index_and_a_workspace_that_never_synced(built: Built, tmp_path: Path) -> None:
    index = built.out / "index.html"
    dom = dump_dom(index, tmp_path)
    assert checks(dom)["errors"] == []
    assert 'href="small-team.html"' in dom and 'href="solo.html"' in dom
    assert dom.count("no data loaded yet") == 1  # ghost's row only
    ghost = dump_dom(built.out / "ghost.html", tmp_path)
    assert "No data loaded yet" in ghost and "has been synced yet" in ghost
    assert checks(ghost)["charts"] == {} and "ghost" in built.output


def test_workspace_without_data_says_so(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    workspaces = tmp_path / "workspaces.yml"
    workspaces.write_text(
        "workspaces:\n  - slug: fresh\n    name: Fresh\n    tier: free\n"
        "    repositories: [acme/web-app]\n"
    )
    out = tmp_path / "report"
    with env(settings, tmp_path):
        runner = CliRunner()
        applied = runner.invoke(cli, ["workspaces", "apply", str(workspaces)])
        assert applied.exit_code == 0, applied.output
        result = runner.invoke(cli, ["report", "--out", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "(no data loaded yet)" in result.output
        unknown = runner.invoke(cli, ["report", "--workspace", "nope", "--out", str(out)])
        assert unknown.exit_code == 2 and "no active workspace 'nope'" in unknown.output
    dom = dump_dom(out / "fresh.html", tmp_path)
    got = checks(dom)
    assert "No data loaded yet" in dom and "warehouse run" in dom
    assert got["errors"] == [] and got["charts"] == {} and got["tiles"] == []
    assert "no data loaded yet" in (out / "index.html").read_text()
