"""The SVG chart writer: well-formed whatever the labels, one rectangle per bar, lengths in
proportion, and what Qt's SVG renderer draws from it has the bars where they must be."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor

from app.svg_chart import Series, bar_chart, column_chart, stacked_bar_chart
from widgets.chart_export import svg_to_image

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert(1)</script>",
    "Tom & Jerry",
    'say "hi"',
    "it's",
    "حمص",
    "🔥🇸🇾",
    "a\x00b\x1f",
]


def bars(svg: str) -> list[ET.Element]:
    return [r for r in ET.fromstring(svg).iter(f"{NS}rect") if r.get("class") == "bar"]


def texts(svg: str) -> list[str]:
    """What each text element shows (its tooltip `<title>` left out)."""
    return [
        (t.text or "") + "".join(child.tail or "" for child in t)
        for t in ET.fromstring(svg).iter(f"{NS}text")
    ]


def test_one_bar_per_value_with_lengths_in_proportion():
    svg = bar_chart("Top", ["a", "b", "c"], [40, 20, 10], ["#ff0000", "#00ff00", "#0000ff"])
    rects = bars(svg)
    assert [int(r.get("data-value")) for r in rects] == [40, 20, 10]
    widths = [float(r.get("width")) for r in rects]
    assert abs(widths[0] / widths[1] - 2) < 0.01 and abs(widths[0] / widths[2] - 4) < 0.01
    ys = [float(r.get("y")) for r in rects]
    assert ys == sorted(ys)  # the first value is the top bar
    assert [r.get("fill") for r in rects] == ["#ff0000", "#00ff00", "#0000ff"]


def test_hostile_labels_stay_text_and_the_file_stays_well_formed():
    svg = bar_chart("<b>Title</b> & co", HOSTILE, [7] * len(HOSTILE), ["#123456"] * len(HOSTILE))
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{NS}script")) and not list(root.iter("script"))
    shown = texts(svg)
    assert "<b>Title</b> & co" in shown
    assert "<script>alert(1)</script>" in shown and "حمص" in shown and "🔥🇸🇾" in shown
    assert "ab" in shown  # characters XML forbids are dropped, not written
    assert "<script>" not in svg


def test_a_colour_that_is_not_a_colour_cannot_break_out_of_its_attribute():
    svg = bar_chart("t", ["a"], [1], ['red" onload="x'])
    assert bars(svg)[0].get("fill") == "#888888" and "onload" not in svg


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=40), st.integers(min_value=0, max_value=10**6)),
        min_size=1, max_size=15,
    )
)  # fmt: skip
def test_any_labels_and_counts_give_parseable_svg_with_every_bar(rows):
    labels, values = [r[0] for r in rows], [r[1] for r in rows]
    black = ["#000000"] * len(rows)
    for svg, size in ((bar_chart("t", labels, values, black), "width"),
                      (column_chart("t", labels, values, black), "height")):  # fmt: skip
        rects = bars(svg)
        assert [int(r.get("data-value")) for r in rects] == values
        lengths = [float(r.get(size)) for r in rects]
        biggest = max(values)
        top = lengths[values.index(biggest)]
        for value, length in zip(values, lengths, strict=True):
            assert abs(length - (top * value / biggest if biggest else 0)) < 0.02


def test_columns_grow_upwards_from_one_baseline_in_proportion():
    svg = column_chart("Mentions", ["2024-01", "2024-02", "no date"], [6, 3, 0],
                       ["#0072B2", "#0072B2", "#999999"])  # fmt: skip
    rects = bars(svg)
    heights = [float(r.get("height")) for r in rects]
    assert heights[2] == 0 and abs(heights[0] / heights[1] - 2) < 0.01
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}
    assert len(bottoms) == 1
    assert "no date" in texts(svg)


def test_stacked_bars_split_each_category_into_its_series():
    series = [Series("1", "#0072B2", (2, 0)), Series("5", "#D55E00", (1, 3))]
    svg = stacked_bar_chart("Credibility", ["Reuters (B)", "SANA"], series)
    rects = bars(svg)
    assert [(r.get("data-series"), int(r.get("data-value"))) for r in rects] == [
        ("1", 2), ("5", 1), ("5", 3),
    ]  # fmt: skip
    first, second = rects[0], rects[1]
    assert abs(float(first.get("x")) + float(first.get("width")) - float(second.get("x"))) < 0.01
    assert abs(float(rects[2].get("width")) - float(first.get("width")) * 1.5) < 0.01


def test_empty_chart_says_so():
    svg = bar_chart("Top", [], [], [])
    assert bars(svg) == [] and "Nothing counted yet" in texts(svg)


def test_qt_draws_the_bars_where_the_svg_puts_them(qapp):
    colours = ["#d55e00", "#0072b2", "#009e73"]
    svg = bar_chart("Top", ["حمص", "<b>", "🔥"], [30, 15, 5], colours, width=800, height=450)
    image = svg_to_image(svg, QSize(1600, 900))
    assert (image.width(), image.height()) == (1600, 900)
    for rect, colour in zip(bars(svg), colours, strict=True):
        x, y = float(rect.get("x")), float(rect.get("y"))
        w, h = float(rect.get("width")), float(rect.get("height"))
        inside = image.pixelColor(int(2 * (x + w / 2)), int(2 * (y + h / 2)))
        past_end = image.pixelColor(int(2 * (x + w)) + 4, int(2 * (y + h / 2)))
        assert inside.name() == colour
        assert past_end.name() != colour
    assert image.pixelColor(2, 2) == QColor("#ffffff")
