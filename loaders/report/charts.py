"""Plotly figures of the report, drawn from mart rows as they are (no metric computed here).

Plotly, not bokeh or altair (docs/report.md): its one JavaScript file is inlined once per
page, so the page opens offline from file://, and it needs only narwhals and packaging.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from loaders.report.queries import ANOMALY_FLAGS

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

# No mode bar: it covers the titles on a phone; drag zooms and a double click resets anyway.
_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def plotly_js() -> str:
    """The plotly.js bundle shipped inside the Python package (inlined into each page)."""
    return get_plotlyjs()


def figure_html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG)


def _layout(fig: go.Figure, title: str, *, height: int = 280, x_title: str = "") -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        height=height,
        autosize=True,
        margin={"l": 48, "r": 12, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hovermode="x unified",
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    fig.update_xaxes(title_text=x_title, showgrid=False)
    if not x_title:  # a UTC day axis: the title names the day, the year is in the subtitle
        fig.update_xaxes(tickformat="%b %d")
    fig.update_yaxes(gridcolor="#e5e5e5", rangemode="tozero")
    return fig


def activity_chart(
    metric: str,
    title: str,
    daily: list[dict[str, Any]],
    anomalies: list[dict[str, Any]],
    history_gap: dict[str, Any] | None = None,
) -> go.Figure:
    """Daily bars, the 7- and 28-day moving averages (SQL) and the `repository_trends`
    anomaly days of this metric (diamonds at the day's workspace value)."""
    days = [str(r["activity_date"]) for r in daily]
    fig = go.Figure()
    fig.add_bar(x=days, y=[r[metric] for r in daily], name="daily", marker_color=OKABE_ITO["sky"])
    fig.add_scatter(
        x=days,
        y=[r[f"{metric}_7d_avg"] for r in daily],
        name="7-day average",
        mode="lines",
        line={"color": OKABE_ITO["blue"], "width": 2},
    )
    fig.add_scatter(
        x=days,
        y=[r[f"{metric}_28d_avg"] for r in daily],
        name="28-day average",
        mode="lines",
        line={"color": OKABE_ITO["orange"], "width": 2, "dash": "dash"},
    )
    flag = ANOMALY_FLAGS.get(metric)
    if flag:
        value_by_day = {str(r["activity_date"]): r[metric] for r in daily}
        repos_by_day: dict[str, list[str]] = {}
        for row in anomalies:
            if row[flag] and str(row["activity_date"]) in value_by_day:
                repos_by_day.setdefault(str(row["activity_date"]), []).append(row["full_name"])
        if repos_by_day:
            fig.add_scatter(
                x=list(repos_by_day),
                y=[value_by_day[d] for d in repos_by_day],
                name="anomaly (repository_trends)",
                mode="markers",
                marker={"symbol": "diamond", "size": 10, "color": OKABE_ITO["vermillion"]},
                text=[", ".join(repos) for repos in repos_by_day.values()],
                hovertemplate="anomaly in %{text}<extra></extra>",
            )
    if history_gap:
        # Days before some repository's complete history: low counts there mean "not loaded".
        fig.add_vrect(
            x0=str(history_gap["gap_start"]),
            x1=str(history_gap["gap_end"]),
            fillcolor=OKABE_ITO["purple"],
            opacity=0.15,
            line_width=0,
            annotation_text="history partial",
            annotation_position="top left",
        )
    return _layout(fig, f"{title} per day (UTC)")


def labels_chart(issues_by_label: list[dict[str, Any]], range_label: str) -> go.Figure:
    labels = [r["label"] for r in issues_by_label]
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=[r["issues_open"] for r in issues_by_label],
        name="still open",
        marker_color=OKABE_ITO["vermillion"],
    )
    fig.add_bar(
        x=labels,
        y=[r["issues_closed"] for r in issues_by_label],
        name="closed",
        marker_color=OKABE_ITO["green"],
    )
    fig.update_layout(barmode="stack")
    return _layout(fig, f"Issues opened in the last {range_label}, by label", x_title="label")


def backfill_chart(rows: list[dict[str, Any]]) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(
        y=[r["full_name"] for r in rows],
        x=[r["repository_pct_complete"] or 0 for r in rows],
        orientation="h",
        marker_color=OKABE_ITO["green"],
        text=[r["repository_status"] for r in rows],
        textposition="auto",
        name="% complete",
    )
    fig.update_xaxes(range=[0, 100])
    return _layout(
        fig, "Backfill progress per repository (%)", height=120 + 28 * len(rows), x_title="%"
    )
