"""`warehouse report`: a self-contained HTML page per workspace, built only from the marts.

| module | job |
|---|---|
| `queries` | the SQL over the marts and the rows one page shows (`WorkspaceData`) |
| `charts` | plotly figures of those rows (Okabe-Ito palette, UTC days) |
| `sections` | HTML of tiles, tables and sparklines (layout only, no metric computed) |
| `page` | page shell: inline CSS, error capture and self-check scripts |
| `writer` | writes `<slug>.html` per active workspace and `index.html` |

Usage: `write_reports(warehouse, Path("report"))`; see docs/report.md.
"""

from loaders.report.writer import ReportResult, UnknownWorkspace, WrittenPage, write_reports

__all__ = ["ReportResult", "UnknownWorkspace", "WrittenPage", "write_reports"]
