"""HTML sections of a workspace page: tiles, repository table, contributors, issues, backfill.

Layout only: every number printed here is a mart value, formatted (thousands separators,
one decimal, UTC timestamps). Arrows follow the sign of the mart's `*_trend_pct`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from html import escape
from typing import Any

from loaders.report.queries import CONTRIBUTORS_RANGE, TILE_METRICS, WorkspaceData


def fmt_number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):,.1f}"


def fmt_time(value: Any) -> str:
    """Timestamps in UTC, labelled; naive ones are UTC already (docs/marts.md)."""
    if value is None:
        return "never"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return escape(str(value))


def _trend(row: dict[str, Any], metric: str) -> str:
    previous, pct = row.get(f"{metric}_previous"), row.get(f"{metric}_trend_pct")
    if previous is None or previous == 0 or pct is None:
        return '<span class="trend na" title="no previous value to compare with">n/a</span>'
    pct = float(pct)
    arrow, kind = ("▲", "up") if pct > 0 else ("▼", "down") if pct < 0 else ("■", "flat")
    return f'<span class="trend {kind}">{arrow} {pct:+.1f}%</span>'


def tiles(data: WorkspaceData) -> str:
    """One tab per range of `workspace_metrics_cache`, tiles inside (CSS-only tabs)."""
    tabs, panels = [], []
    for i, row in enumerate(data.tiles):
        rng = escape(str(row["time_range"]))
        checked = (
            " checked" if row["time_range"] == "30d" or (i == 0 and not _has_30d(data)) else ""
        )
        tabs.append(
            f'<input type="radio" name="range" id="range-{rng}"{checked}>'
            f'<label for="range-{rng}">{rng}</label>'
        )
        cells = []
        for metric, title in TILE_METRICS.items():
            cells.append(
                f'<div class="tile" data-range="{rng}" data-metric="{metric}">'
                f'<div class="tile-title">{escape(title)}</div>'
                f'<div class="tile-value">{fmt_number(row[metric])}</div>'
                f'<div class="tile-prev">previous {rng}: '
                f'<span class="tile-previous">{fmt_number(row[f"{metric}_previous"])}</span> '
                f"{_trend(row, metric)}</div></div>"
            )
        partial = (
            ""
            if row.get("is_history_complete") in (True, None)
            else '<p class="warn">History is not complete for this range yet: '
            "a backfill is still filling it, so counts may be low.</p>"
        )
        panels.append(
            f'<div class="panel" data-panel="{rng}"><p class="period">'
            f"{fmt_time(row['period_start'])} to {fmt_time(row['period_end'])} (UTC), "
            f"against {fmt_time(row['previous_period_start'])} to "
            f"{fmt_time(row['previous_period_end'])}</p>{partial}"
            f'<div class="tiles">{"".join(cells)}</div></div>'
        )
    return f'<div class="range-tabs">{"".join(tabs)}{"".join(panels)}</div>'


def _has_30d(data: WorkspaceData) -> bool:
    return any(row["time_range"] == "30d" for row in data.tiles)


def sparkline(points: list[dict[str, Any]], name: str) -> str:
    """Daily commits as an inline SVG polyline (scaled to the box; values as read)."""
    values = [int(p["commits_count"] or 0) for p in points]
    if not values:
        return '<span class="muted">no days</span>'
    width, height = 140, 30
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    first, last = points[0]["activity_date"], points[-1]["activity_date"]
    return (
        f'<svg class="sparkline chart-box" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="daily commits of {escape(name)}">'
        f"<title>daily commits {first} to {last} (UTC), peak {top}</title>"
        f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" points="{coords}"/></svg>'
    )


def _freshness(row: dict[str, Any]) -> str:
    status = escape(str(row["freshness_status"] or "unknown"))
    due = (
        '<span class="badge due">due now</span>'
        if row["is_due"]
        else f'<span class="muted">next {fmt_time(row["next_sync_at"])}</span>'
    )
    return (
        f'<span class="badge {status}">{status}</span> last sync '
        f"{fmt_time(row['last_sync_at'])}<br>{due}"
    )


def _sync_status(row: dict[str, Any]) -> str:
    parts = [escape(str(row["repository_status"] or "unknown"))]
    if row["resources_failed"]:
        parts.append(
            f'<span class="badge late">failed: {escape(str(row["resources_failed"]))}</span>'
        )
    if row["resources_deferred"]:
        parts.append(f"deferred: {escape(str(row['resources_deferred']))}")
    if row["is_issues_sync_overdue"]:
        parts.append('<span class="badge late">issues sync overdue</span>')
    return "<br>".join(parts)


def _coverage(row: dict[str, Any]) -> str:
    if row["is_history_complete"]:
        return (
            f'<span class="badge fresh">complete</span> from {fmt_time(row["window_start_date"])}'
        )
    since = row["history_complete_from_date"]
    text = f"complete from {fmt_time(since)}" if since else "no complete history loaded"
    job = f", backfill job #{row['filling_job_id']}" if row["filling_job_id"] else ""
    missing = f"{fmt_number(row['missing_days'])} days missing" if row["missing_days"] else ""
    return f'<span class="badge partial">partial</span> {text}{job}<br>{missing}'


def repositories(data: WorkspaceData) -> str:
    rows = []
    for row in data.repositories:
        name = row["full_name"]
        rows.append(
            f"<tr><td><strong>{escape(name)}</strong><br>"
            f'<span class="muted">every {row["sync_frequency_hours"]} h, '
            f"{row['retention_days']} days kept</span></td>"
            f"<td>{sparkline(data.sparklines.get(name, []), name)}</td>"
            f"<td>{_freshness(row)}</td><td>{_sync_status(row)}</td>"
            f"<td>{_coverage(row)}</td></tr>"
        )
    return (
        '<div class="table-wrap"><table><thead><tr><th>repository</th>'
        "<th>daily commits</th><th>freshness</th><th>sync status</th>"
        "<th>history coverage (longest retention of its workspaces)</th></tr></thead><tbody>"
        f"{''.join(rows)}</tbody></table></div>"
    )


def _initials(login: str) -> str:
    # Avatars are not stored for contributors, and a remote image would break offline
    # reading: a lettered disc stands in for them.
    return f'<span class="avatar" aria-hidden="true">{escape(login[:2].upper())}</span>'


def _avatar_url(row: dict[str, Any]) -> str:
    return escape(str(row["repository_avatar_url"] or "none"))


def contributors(data: WorkspaceData) -> str:
    if not data.contributors:
        return f'<p class="muted">No contributions in the last {CONTRIBUTORS_RANGE}.</p>'
    rows = []
    for row in data.contributors:
        login = row["contributor_login"]
        repos = "".join(
            f'<span class="repo-chip" title="avatar: {_avatar_url(r)}">'
            f"{_initials(r['full_name'].split('/')[0])}{escape(r['full_name'])} "
            f"({fmt_number(r['contributions_count'])})</span>"
            for r in data.contributor_repositories.get(login, [])
        )
        rows.append(
            f"<tr><td>{row['contributor_rank']}</td><td>{_initials(login)}{escape(login)}</td>"
            f"<td>{fmt_number(row['contributions_total'])}</td>"
            f"<td>{fmt_number(row['commits_count'])}</td><td>{fmt_number(row['prs_opened'])}</td>"
            f"<td>{fmt_number(row['prs_merged'])}</td><td>{fmt_number(row['reviews'])}</td>"
            f"<td>{fmt_number(row['active_days'])}</td><td>{repos}</td></tr>"
        )
    return (
        '<div class="table-wrap"><table><thead><tr><th>#</th><th>contributor</th>'
        "<th>contributions</th><th>commits</th><th>PRs opened</th><th>PRs merged</th>"
        "<th>reviews</th><th>active days</th><th>repositories (contributions, whole retention)"
        f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def open_issues(data: WorkspaceData) -> str:
    if not data.open_issues_by_repository:
        return '<p class="muted">No open issues.</p>'
    rows = "".join(
        f"<tr><td>{escape(r['full_name'])}</td><td>{fmt_number(r['open_issues'])}</td>"
        f"<td>{fmt_number(r['unassigned'])}</td><td>{fmt_number(r['oldest_days_open'])}</td></tr>"
        for r in data.open_issues_by_repository
    )
    return (
        '<div class="table-wrap"><table><thead><tr><th>repository</th><th>open now</th>'
        f"<th>unassigned</th><th>oldest (days open)</th></tr></thead><tbody>{rows}"
        "</tbody></table></div>"
    )


def backfill_summary(data: WorkspaceData) -> str:
    job = data.backfill[0]
    eta = job["job_eta_seconds"]
    eta_text = f", about {fmt_number(round(float(eta) / 60))} min left" if eta else ""
    return (
        f"<p>Job #{job['backfill_job_id']} ({escape(str(job['job_status']))}, "
        f"{job['retention_days']} days, created {fmt_time(job['created_at'])}): "
        f"<strong>{fmt_number(job['job_pct_complete'])}%</strong> "
        f"({fmt_number(job['job_items_loaded'])} of {fmt_number(job['job_items_total'])} items; "
        f"{fmt_number(job['job_repositories_completed'])} of "
        f"{fmt_number(job['job_repositories_total'])} repositories done, "
        f"{fmt_number(job['job_repositories_failed'])} failed{eta_text}).</p>"
    )
