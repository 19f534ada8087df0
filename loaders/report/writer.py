"""Write the report: one self-contained HTML page per active workspace plus `index.html`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from loaders.report import charts, sections
from loaders.report.page import header, no_data_body, section, shell
from loaders.report.queries import (
    CONTRIBUTORS_RANGE,
    DAILY_METRICS,
    ISSUES_RANGE,
    WorkspaceData,
    list_workspaces,
    marts_built,
    read_workspace,
)
from loaders.warehouse import Warehouse


class UnknownWorkspace(ValueError):
    """`--workspace` names no active workspace."""


@dataclass(frozen=True)
class WrittenPage:
    slug: str
    path: Path
    has_data: bool


@dataclass(frozen=True)
class ReportResult:
    index: Path
    pages: tuple[WrittenPage, ...]


def _chart(fig: charts.go.Figure, div_id: str) -> str:
    # `chart-box`: what the page's self-check expects to find drawn.
    return f'<div class="chart chart-box">{charts.figure_html(fig, div_id)}</div>'


def _workspace_body(data: WorkspaceData, generated_at: str) -> str:
    activity = "".join(
        _chart(
            charts.activity_chart(m, t, data.daily, data.anomalies, data.history_gap),
            f"chart-{m}",
        )
        for m, t in DAILY_METRICS.items()
    )
    first, last = data.daily[0]["activity_date"], data.daily[-1]["activity_date"]
    gap = data.history_gap
    partial = (
        f'<p class="warn" id="history-partial">History is partial for '
        f"{gap['repositories_partial']} of {len(data.repositories)} repositories: days "
        f"{gap['gap_start']} to {gap['gap_end']} (shaded) are not fully loaded yet, so low "
        "counts there may mean 'not loaded' rather than 'quiet'.</p>"
        if gap
        else ""
    )
    parts = [
        section(
            "tiles",
            "Headline numbers",
            sections.tiles(data),
            "workspace_metrics_cache: each range against the range before it; "
            "n/a when the previous value is 0 or missing.",
        ),
        section(
            "activity",
            "Daily activity",
            f'{partial}<div class="charts">{activity}</div>',
            f"workspace_daily_activity, {first} to {last} (UTC days). Lines: 7- and 28-day "
            "moving averages (trailing days available). Diamonds: days repository_trends "
            "flags as anomalies (commits, PRs opened, issues opened only); hover for the "
            "repositories.",
        ),
        section(
            "repositories",
            "Repositories",
            sections.repositories(data),
            "Freshness from repository_freshness and sync_queue; coverage from "
            "repository_history_coverage (partial: days before 'complete from' are not loaded "
            "yet, so zeros there mean 'not covered', not 'nothing happened').",
        ),
        section(
            "contributors",
            f"Top contributors, last {CONTRIBUTORS_RANGE}",
            sections.contributors(data),
            "workspace_contributors_by_range and contributor_repositories. Contributor avatars "
            "are not loaded by the warehouse; repository avatar URLs are (hover a repository), "
            "but are not embedded because the page must not fetch anything.",
        ),
        section("issues", "Open issues", _issues(data)),
    ]
    if data.backfill:
        parts.append(
            section(
                "backfill",
                "Backfill",
                sections.backfill_summary(data)
                + _chart(charts.backfill_chart(data.backfill), "chart-backfill"),
                "backfill_progress: the workspace's latest job.",
            )
        )
    subtitle = (
        f"workspace <code>{escape(data.slug)}</code>, tier {escape(data.tier)}, "
        f"{len(data.repositories)} repositories"
    )
    return header(data.name, subtitle, generated_at) + f"<main>{''.join(parts)}</main>"


def _issues(data: WorkspaceData) -> str:
    by_label = (
        _chart(charts.labels_chart(data.issues_by_label, ISSUES_RANGE), "chart-issue-labels")
        if data.issues_by_label
        else f'<p class="muted">No labelled issue opened in the last {ISSUES_RANGE}.</p>'
    )
    return (
        "<h3>Open now, by repository (workspace_open_issues)</h3>"
        + sections.open_issues(data)
        + f"<h3>Opened in the last {ISSUES_RANGE}, by label (workspace_issues_cache)</h3>"
        + by_label
    )


def _index_body(pages: list[tuple[dict[str, str], bool]], generated_at: str) -> str:
    rows = "".join(
        f'<tr><td><a href="{escape(ws["slug"])}.html">{escape(ws["name"])}</a></td>'
        f"<td><code>{escape(ws['slug'])}</code></td><td>{escape(ws['tier'])}</td>"
        f"<td>{'yes' if has_data else '<strong>no data loaded yet</strong>'}</td></tr>"
        for ws, has_data in pages
    )
    table = (
        '<div class="table-wrap"><table><thead><tr><th>workspace</th><th>slug</th>'
        f"<th>tier</th><th>data</th></tr></thead><tbody>{rows}</tbody></table></div>"
        if pages
        else "<p><strong>No active workspace.</strong> Apply a workspaces file first: "
        "<code>warehouse workspaces apply workspaces.yml</code>.</p>"
    )
    return (
        header("Workspace activity reports", "One page per active workspace.", generated_at, False)
        + f"<main>{section('workspaces', 'Workspaces', table)}</main>"
    )


def write_reports(wh: Warehouse, out_dir: Path, workspace: str | None = None) -> ReportResult:
    """Write `<slug>.html` for each active workspace (or only `workspace`) and `index.html`."""
    workspaces = list_workspaces(wh, workspace)
    if workspace and not workspaces:
        raise UnknownWorkspace(
            f"no active workspace {workspace!r}; `warehouse workspaces list` shows them"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    generated_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    built = marts_built(wh)
    library = charts.plotly_js()
    written: list[WrittenPage] = []
    for ws in workspaces:
        data = read_workspace(wh, ws) if built else None
        has_data = data is not None and data.has_data
        path = out_dir / f"{ws['slug']}.html"
        page = _page(ws, data if has_data else None, built, generated_at, library)
        path.write_text(page, encoding="utf-8")
        written.append(WrittenPage(ws["slug"], path, has_data))
    index = out_dir / "index.html"
    index.write_text(
        shell(
            "Workspace activity reports",
            _index_body(
                [(ws, p.has_data) for ws, p in zip(workspaces, written, strict=True)], generated_at
            ),
        ),
        encoding="utf-8",
    )
    return ReportResult(index=index, pages=tuple(written))


def _page(
    ws: dict[str, str], data: WorkspaceData | None, built: bool, generated_at: str, library: str
) -> str:
    if data is not None:
        body = _workspace_body(data, generated_at)
        return shell(f"{ws['name']} activity", body, plotly_js=library)
    reason = (
        "None of this workspace's repositories has been synced yet."
        if built
        else "The marts have not been built in this warehouse yet."
    )
    body = no_data_body(ws["name"], ws["slug"], reason, generated_at)
    return shell(f"{ws['name']}: no data yet", body)
