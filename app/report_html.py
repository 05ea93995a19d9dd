"""The summary as one self-contained HTML file, for a briefing or an archive.

One file that opens anywhere, offline, years later: inline CSS, charts as inline SVG
(`app.svg_chart`), the same numbers again as tables (a chart cannot be quoted, searched or read by a
screen reader), no script and no remote resource; a Content-Security-Policy says so to the browser
as well. Tag names are the analyst's free text: each goes through `html.escape` or the SVG
writer's escaping, so an entity named `<script>` is shown, never run. `dir="auto"` lets Arabic
names read right to left in the tables. Light and dark follow `prefers-color-scheme`; print drops
the colours of the page and keeps charts whole on a page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from app.summary import (
    GRADE_COLOURS,
    GRADES,
    TIMELINE_COLOUR,
    UNDATED_COLOUR,
    Summary,
    Timeline,
)
from app.svg_chart import Series, bar_chart, column_chart, stacked_bar_chart
from app.wording import plural

NO_DATE = "no date"
CHART_WIDTH = 760

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #ffffff;
  --rule: #d0d4da; --stripe: #f4f6f8; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8ea; --muted: #a8adb4; --bg: #16181b; --rule: #3a3f45; --stripe: #1f2226; }
  svg .bg { fill: var(--bg); } svg .fg { fill: var(--fg); } svg .muted { fill: var(--muted); }
  svg .grid { stroke: var(--rule); }
}
body { font: 15px/1.45 system-ui, "Segoe UI", "Noto Sans", sans-serif; color: var(--fg);
  background: var(--bg); max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--rule); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 1.8rem; } h4 { margin: 1.2rem 0 .3rem; }
.meta, .note { color: var(--muted); }
svg { max-width: 100%; height: auto; display: block; margin: .4rem 0; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: .2rem .7rem; border-bottom: 1px solid var(--rule); text-align: left; }
td.n, th.n { text-align: right; }
tbody tr:nth-child(even) { background: var(--stripe); }
figure { margin: 0; break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; color: #000; background: #fff; font-size: 11pt; }
  h2 { break-before: page; } h2:first-of-type { break-before: auto; }
  h3, h4 { break-after: avoid; } table, figure { break-inside: avoid; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int) -> str:
    """A plain table; columns from `numeric_from` on are numbers, right-aligned."""
    cls = lambda i: ' class="n"' if i >= numeric_from else ' dir="auto"'  # noqa: E731
    out = ["<table><thead><tr>"]
    out += [f"<th{cls(i) if i >= numeric_from else ''}>{_e(h)}</th>" for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = "".join(
            f"<td{cls(i)}>{_e(f'{v:,}' if isinstance(v, int) else v)}</td>"
            for i, v in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def timeline_columns(timeline: Timeline) -> tuple[list[str], list[int], list[str]]:
    """Labels, values and colours of the timeline chart: the dated buckets, then one grey "no
    date" column when undated documents hold mentions, so they are seen, not dropped."""
    labels = [label for label, _ in timeline.points]
    values = [n for _, n in timeline.points]
    colours = [TIMELINE_COLOUR] * len(values)
    if timeline.undated_documents:
        labels.append(NO_DATE)
        values.append(timeline.undated_mentions)
        colours.append(UNDATED_COLOUR)
    return labels, values, colours


def _entities(summary: Summary) -> list[str]:
    out = ["<h3>Most mentioned entities</h3>"]
    if not summary.top_entities:
        out.append('<p class="note">No entity tag types in this project.</p>')
    for ranking in summary.top_entities:
        out.append(f'<h4 dir="auto">{_e(ranking.type_name)}</h4>')
        if not ranking.rows:
            out.append(f'<p class="note">No {_e(ranking.type_name)} tags yet.</p>')
            continue
        names = [name for name, _ in ranking.rows]
        counts = [n for _, n in ranking.rows]
        svg = bar_chart(
            f"Top {ranking.type_name}", names, counts, [ranking.color] * len(counts),
            width=CHART_WIDTH,
        )  # fmt: skip
        out.append(f"<figure>{svg}</figure>")
        out.append(_table([ranking.type_name, "Mentions"], ranking.rows, numeric_from=1))
    return out


def _credibility(summary: Summary) -> list[str]:
    out = ["<h3>Credibility by source</h3>"]
    if not summary.credibility:
        out.append('<p class="note">No claims graded for credibility yet.</p>')
        return out
    series = [
        Series(f"{g}", GRADE_COLOURS[i], tuple(s.counts[i] for s in summary.credibility))
        for i, g in enumerate(GRADES)
    ]
    labels = [s.label for s in summary.credibility]
    svg = stacked_bar_chart("Claims by credibility grade", labels, series, width=CHART_WIDTH)
    out.append(f"<figure>{svg}</figure>")
    rows = [
        (s.source, s.reliability or "not rated", *s.counts, s.total) for s in summary.credibility
    ]
    head = ["Source", "Rating", *(str(g) for g in GRADES), "Total"]
    out.append(_table(head, rows, numeric_from=2))
    out.append(
        '<p class="note">Grades 1 (confirmed) to 6 (cannot be judged); the rating is the '
        "source's own reliability (A–F), which its claims borrow unless graded themselves.</p>"
    )
    return out


def _timeline(summary: Summary) -> list[str]:
    t = summary.timeline
    out = ["<h3>Mentions over publication dates</h3>"]
    if not t.points and not t.undated_documents:
        out.append('<p class="note">No documents.</p>')
        return out
    labels, values, colours = timeline_columns(t)
    unit = f" by {t.unit}" if t.unit else ""
    svg = column_chart(f"Mentions{unit}", labels, values, colours, width=CHART_WIDTH)
    out.append(f"<figure>{svg}</figure>")
    out.append(_table(["Published", "Mentions"], list(zip(labels, values, strict=True)), 1))
    if t.undated_documents:
        out.append(
            f'<p class="note">{plural(t.undated_documents, "document")} without a usable '
            f"publication date: their {plural(t.undated_mentions, 'mention')} are counted under "
            f"“{NO_DATE}”.</p>"
        )
    return out


def render_report(
    project_name: str, generated_at: str, annotator: str, summaries: Sequence[Summary]
) -> str:
    """The whole page: one section per summary (the project's, then the open document's)."""
    title = f"Loupe summary — {project_name}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy"'
        " content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="color-scheme" content="light dark">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f'<h1 dir="auto">{_e(title)}</h1>',
        f'<p class="meta">Generated {_e(generated_at)} by {_e(annotator or "—")}.</p>',
    ]
    for summary in summaries:
        out.append(f'<section><h2 dir="auto">{_e(summary.scope)}</h2>')
        out.append(
            f'<p class="meta">{plural(summary.documents, "document")}, '
            f"{plural(summary.mentions, 'entity mention')}.</p>"
        )
        out += _entities(summary) + _credibility(summary) + _timeline(summary)
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
