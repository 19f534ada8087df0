"""The page shell: inline CSS, the error capture and self-check scripts, and the three page
kinds (workspace, no data yet, index). Nothing is fetched: every style and script is inline.
"""

from __future__ import annotations

from html import escape

CSS = (
    """
:root { --ink:#1b1b1b; --muted:#5f6368; --line:#e0e0e0; --blue:#0072B2; --orange:#E69F00;
  --green:#009E73; --verm:#D55E00; --sky:#56B4E9; --purple:#CC79A7; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color:var(--ink); background:#f7f7f7; }
header, main, footer { max-width:1240px; margin:0 auto; padding:12px 20px; }
header h1 { margin:8px 0 2px; font-size:1.6rem; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px;
  margin:14px 0; }
section h2 { margin:0 0 8px; font-size:1.15rem; }
.muted, .period { color:var(--muted); }
.warn { border-left:4px solid var(--orange); padding:4px 10px; background:#fff8e6; }
.charts { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:12px; }
.chart { min-width:0; border:1px solid var(--line); border-radius:6px; }
.tiles { display:grid; grid-template-columns:repeat(5, minmax(0, 1fr)); gap:10px; }
.tile { border:1px solid var(--line); border-radius:6px; padding:8px 10px; }
.tile-title { color:var(--muted); font-size:.85rem; }
.tile-value { font-size:1.5rem; font-weight:600; }
.tile-prev { font-size:.8rem; color:var(--muted); }
.trend.up { color:var(--blue); } .trend.down { color:var(--verm); } .trend.na { font-style:italic; }
.range-tabs > input { position:absolute; opacity:0; }
.range-tabs > label { display:inline-block; padding:4px 14px; margin:0 4px 8px 0;
  border:1px solid var(--line); border-radius:14px; cursor:pointer; }
.range-tabs > input:checked + label { background:var(--blue); color:#fff;
  border-color:var(--blue); }
.range-tabs > input:focus-visible + label { outline:2px solid var(--orange); }
.panel { display:none; }
"""
    + "\n".join(
        f'#range-{r}:checked ~ .panel[data-panel="{r}"] {{ display:block; }}'
        for r in ("7d", "30d", "90d", "1y")
    )
    + """
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:.9rem; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line);
  vertical-align:top; }
th { background:#fafafa; }
.badge { display:inline-block; padding:0 7px; border-radius:9px; font-size:.8rem;
  border:1px solid currentColor; }
.badge.fresh { color:var(--green); } .badge.late, .badge.due { color:var(--orange); }
.badge.stale, .badge.never_synced { color:var(--verm); } .badge.partial { color:var(--purple); }
.avatar { display:inline-flex; align-items:center; justify-content:center; width:22px;
  height:22px; border-radius:50%; background:var(--sky); color:#000; font-size:.65rem;
  font-weight:700; margin-right:6px; vertical-align:middle; }
.repo-chip { display:inline-block; margin:2px 6px 2px 0; white-space:nowrap; }
nav a { margin-right:14px; }
#report-errors, #report-checks { display:none; }
@media (max-width: 900px) {
  .charts { grid-template-columns:minmax(0, 1fr); }
  .tiles { grid-template-columns:repeat(2, minmax(0, 1fr)); }
  header, main, footer { padding:8px 10px; }
}
"""
)

# First script of the page: anything that goes wrong later (a script error, a resource that
# fails to load, console.error) is written into #report-errors, which the browser test reads.
CAPTURE_JS = """
(function () {
  var errors = [];
  function note(text) {
    errors.push(String(text));
    var box = document.getElementById('report-errors');
    if (box) { box.textContent = JSON.stringify(errors); }
  }
  window.__reportErrors = errors;
  window.__reportNote = note;
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && (t.src || t.href)) { note('resource failed: ' + (t.src || t.href)); }
    else { note('error: ' + e.message + ' at ' + e.filename + ':' + e.lineno); }
  }, true);
  window.addEventListener('unhandledrejection', function (e) { note('rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () {
    note('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return original.apply(console, arguments);
  };
})();
"""

# Last script: once every chart has drawn (or after 5 s), counts each chart's marks (bars,
# line paths, markers) and records them, the tiles' text and any error in the DOM.
CHECK_JS = """
(function () {
  function count(root, selector) { return root.querySelectorAll(selector).length; }
  function marks() {
    var charts = {};
    document.querySelectorAll('.js-plotly-plot').forEach(function (div) {
      charts[div.id] = { bars: count(div, '.barlayer .point path'),
        lines: count(div, '.scatterlayer path.js-line'),
        markers: count(div, '.scatterlayer .points path.point') };
    });
    document.querySelectorAll('svg.sparkline').forEach(function (svg, i) {
      charts['sparkline-' + i] = { lines: count(svg, 'polyline'), bars: 0, markers: 0 };
    });
    return charts;
  }
  function drawn(charts) {
    return Object.keys(charts).length >= document.querySelectorAll('.chart-box').length &&
      Object.keys(charts).every(function (k) {
        var c = charts[k]; return c.bars + c.lines + c.markers > 0; });
  }
  function record(charts) {
    var external = performance.getEntriesByType('resource').map(function (r) { return r.name; })
      .filter(function (n) { return !/^(data|file|blob|about):/.test(n); });
    var tiles = Array.prototype.map.call(document.querySelectorAll('.tile'), function (t) {
      return [t.dataset.range, t.dataset.metric, t.querySelector('.tile-value').textContent,
              t.querySelector('.tile-previous').textContent,
              t.querySelector('.trend').textContent];
    });
    var checks = { charts: charts, expected_charts: document.querySelectorAll('.chart-box').length,
      external_requests: external, tiles: tiles,
      overflow_x: document.documentElement.scrollWidth > window.innerWidth + 1,
      viewport_width: window.innerWidth, errors: window.__reportErrors };
    document.getElementById('report-checks').textContent = JSON.stringify(checks);
    document.body.setAttribute('data-checked', 'true');
  }
  window.addEventListener('load', function () {
    var started = Date.now();
    (function poll() {
      var charts = marks();
      if (drawn(charts) || Date.now() - started > 5000) { record(charts); }
      else { setTimeout(poll, 100); }
    })();
  });
})();
"""


def shell(title: str, body: str, *, plotly_js: str = "") -> str:
    library = f"<script>{plotly_js}</script>" if plotly_js else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><script>{CAPTURE_JS}</script>"
        f"<style>{CSS}</style>{library}</head><body>"
        f"{body}"
        '<pre id="report-errors">[]</pre><pre id="report-checks"></pre>'
        f"<script>{CHECK_JS}</script></body></html>\n"
    )


def header(title: str, subtitle: str, generated_at: str, back_link: bool = True) -> str:
    back = '<nav><a href="index.html">← all workspaces</a></nav>' if back_link else ""
    return (
        f'<header>{back}<h1>{escape(title)}</h1><p class="muted">{subtitle}</p>'
        f'<p class="muted">Generated {escape(generated_at)} from the warehouse marts. '
        "All dates and times are UTC.</p></header>"
    )


def section(anchor: str, title: str, content: str, note: str = "") -> str:
    explain = f'<p class="muted">{note}</p>' if note else ""
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{explain}{content}</section>'


def no_data_body(name: str, slug: str, reason: str, generated_at: str) -> str:
    return header(name, f"workspace <code>{escape(slug)}</code>", generated_at) + (
        '<main><section id="no-data"><h2>No data loaded yet</h2>'
        f"<p>{reason}</p><p>Run <code>warehouse run</code> (it loads the due repositories and "
        "builds the marts), then <code>warehouse report</code> again.</p></section></main>"
    )
