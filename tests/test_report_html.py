"""The HTML report: self-contained (no script, no remote resource), the summary's numbers in
tables next to inline SVG charts, every name shown as text, dark-mode and print rules present."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from app.report_html import render_report
from app.summary import SourceCredibility, Summary, Timeline, TypeRanking

EVIL = "<script>alert(1)</script>"


def summary(**changes) -> Summary:
    base = dict(
        scope="All documents",
        documents=4,
        mentions=9,
        top_entities=(
            TypeRanking("Actor", "#0072B2", ((EVIL, 5), ('حمص & "co"', 3))),
            TypeRanking("Location", "#009E73", ()),
        ),
        credibility=(SourceCredibility("Reuters", "B", (0, 2, 0, 0, 1, 0)),),
        timeline=Timeline("month", (("2024-01", 6), ("2024-02", 0)), 1, 3),
    )
    return Summary(**{**base, **changes})


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        self._in_cell = tag in ("td", "th")
        if self._in_cell:
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def parse(page: str) -> Collect:
    c = Collect()
    c.feed(page)
    return c


def test_the_report_holds_the_numbers_as_tables_and_charts():
    page = render_report("Syria <desk>", "2026-12-06 23:00 UTC", "Amal", [summary()])
    seen = parse(page)
    cells = seen.cells
    assert cells[cells.index(EVIL) + 1] == "5"
    assert cells[cells.index('حمص & "co"') + 1] == "3"
    i = cells.index("Reuters")
    assert cells[i : i + 9] == ["Reuters", "B", "0", "2", "0", "0", "1", "0", "3"]
    assert cells[cells.index("2024-01") + 1] == "6" and cells[cells.index("no date") + 1] == "3"
    assert "No Location tags yet." in page
    assert "Syria &lt;desk&gt;" in page and "Amal" in page and "2026-12-06 23:00 UTC" in page
    assert seen.tags.count("svg") == 3  # actors, credibility, timeline


def test_a_tag_named_like_a_script_is_text_never_markup():
    page = render_report(EVIL, "now", EVIL, [summary(scope=EVIL)])
    seen = parse(page)
    assert "script" not in seen.tags
    assert EVIL not in page  # only its escaped form is written
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nothing_is_fetched_or_run():
    page = render_report("p", "now", "", [summary()])
    seen = parse(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(seen.tags)
    assert not re.search(r"(?:src|href)\s*=", page)
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)
    assert not any(name.startswith("on") for name, _ in seen.attrs)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_inline_charts_are_well_formed_svg():
    page = render_report("p", "now", "", [summary()])
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(svg)


def test_dark_mode_and_print_are_styled():
    page = render_report("p", "now", "", [summary()])
    assert "@media (prefers-color-scheme: dark)" in page and "@media print" in page
    assert 'name="color-scheme" content="light dark"' in page


def test_an_empty_project_gives_a_short_sensible_report():
    empty = Summary("All documents", 0, 0, (TypeRanking("Actor", "#0072B2", ()),), (),
                    Timeline("", ()))  # fmt: skip
    page = render_report("empty", "now", "", [empty])
    assert "0 documents, 0 entity mentions" in page
    assert "No Actor tags yet." in page and "No claims graded for credibility yet." in page
    assert "No documents." in page and "<svg" not in page
