"""Bar charts as SVG text, for the count panel's "Export chart…" and the HTML report.

Written by hand because the plotting library's SVG exporter (0.14) fails on the count chart
and Qt's QSvgGenerator misplaces its bars; a chart is a few dozen rectangles and labels, so
plain SVG from the chart's data is shorter than working around either, and one writer serves
the file export, the PNG (Qt renders this SVG) and the report.

Labels are the analyst's tags, which may hold anything: `<`, `&`, quotes, right-to-left Arabic,
emoji, control characters. Every text goes through `_text` (characters XML 1.0 forbids removed,
then escaped) and every colour through `_colour`, so a label is always text, never markup.
Elements carry classes (`bg`, `fg`, `muted`, `grid`) whose presentation attributes suit a white
page; the HTML report's stylesheet recolours them for dark mode.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape  # quote=True by default: also safe in XML attributes

FONT = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif"
TEXT_COLOUR, MUTED_COLOUR, GRID_COLOUR, FALLBACK_COLOUR = "#222222", "#666666", "#dddddd", "#888888"
LABEL_CHARS = 28
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


@dataclass(frozen=True, slots=True)
class Series:
    """One layer of a stacked chart: its name in the legend, colour and a value per category."""

    name: str
    colour: str
    values: tuple[int, ...]


def _text(value: object) -> str:
    """Safe inside an element and inside a double- or single-quoted attribute."""
    clean = _XML_FORBIDDEN.sub("", str(value))
    return escape(clean, quote=True)  # & < > " '


def _colour(value: str) -> str:
    return value if _HEX_COLOUR.fullmatch(value or "") else FALLBACK_COLOUR


def short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open(width: int, height: int, title: str, font_size: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{_text(FONT)}" font-size="{font_size}"'
        ' role="img">',
        f"<title>{_text(title)}</title>",
        f'<rect class="bg" x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text class="fg" x="{width / 2:g}" y="{font_size * 1.8:g}" text-anchor="middle"'
        f' font-size="{round(font_size * 1.25)}" font-weight="600" fill="{TEXT_COLOUR}">'
        f"{_text(title)}</text>",
    ]


def _empty(parts: list[str], width: int, height: int, message: str) -> str:
    parts.append(
        f'<text class="muted" x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle"'
        f' fill="{MUTED_COLOUR}">{_text(message)}</text>'
    )
    return "\n".join([*parts, "</svg>"]) + "\n"


def _label_room(labels: Sequence[str], font_size: int, width: int) -> float:
    longest = max((len(short(label)) for label in labels), default=4)
    return min(width * 0.4, longest * font_size * 0.6 + 16)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    colours: Sequence[str],
    *,
    width: int = 800,
    height: int | None = None,
    font_size: int = 14,
    empty_message: str = "Nothing counted yet",
) -> str:
    """Horizontal bars in the given order, the first at the top, each with its count at its
    end: names stay readable however long, as in the count panel. Bar lengths are proportional
    to the values (the longest bar takes the plot width)."""
    row = font_size * 2
    top = font_size * 3.5
    height = height or int(top + max(len(values), 1) * row + font_size)
    parts = _open(width, height, title, font_size)
    if not values:
        return _empty(parts, width, height, empty_message)
    left = _label_room(labels, font_size, width)
    room = width - left - 16 - font_size * 4  # space for the count after the longest bar
    row = min(row * 1.6, (height - top - font_size) / len(values))
    biggest = max(max(values), 1)
    for i, (label, value, colour) in enumerate(zip(labels, values, colours, strict=True)):
        y = top + i * row
        bar_h, length = row * 0.7, room * value / biggest
        middle = y + row * 0.35 + font_size * 0.35  # baseline of text centred on the bar
        parts += [
            f'<text class="fg" x="{left - 8:.1f}" y="{middle:.1f}" text-anchor="end"'
            f' fill="{TEXT_COLOUR}"><title>{_text(label)}</title>'
            f"{_text(short(label))}</text>",
            f'<rect class="bar" x="{left:.1f}" y="{y:.1f}" width="{length:.2f}"'
            f' height="{bar_h:.1f}" fill="{_colour(colour)}" data-value="{int(value)}">'
            f"<title>{_text(label)}: {int(value)}</title></rect>",
            f'<text class="fg" x="{left + length + 6:.1f}" y="{middle:.1f}"'
            f' fill="{TEXT_COLOUR}">{int(value):,}</text>',
        ]
    return "\n".join([*parts, "</svg>"]) + "\n"


def stacked_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 800,
    font_size: int = 14,
    empty_message: str = "Nothing counted yet",
) -> str:
    """One horizontal bar per category, split into its series (e.g. grades 1–6), with a legend
    on top; the longest total takes the plot width, so segments compare across bars."""
    row, legend_y = font_size * 2, font_size * 3.6
    top = legend_y + font_size * 1.6
    height = int(top + max(len(labels), 1) * row + font_size)
    parts = _open(width, height, title, font_size)
    if not labels:
        return _empty(parts, width, height, empty_message)
    x = 16.0
    for s in series:
        parts += [
            f'<rect class="key" x="{x:.1f}" y="{legend_y - font_size * 0.5:.1f}"'
            f' width="{font_size}" height="{font_size}" fill="{_colour(s.colour)}"/>',
            f'<text class="fg" x="{x + font_size + 4:.1f}" y="{legend_y + font_size * 0.35:.1f}"'
            f' fill="{TEXT_COLOUR}">{_text(s.name)}</text>',
        ]
        x += font_size * 2 + len(s.name) * font_size * 0.6 + 12
    left = _label_room(labels, font_size, width)
    room = width - left - 16 - font_size * 4
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    biggest = max(max(totals), 1)
    for i, label in enumerate(labels):
        y, start = top + i * row, left
        middle = y + row * 0.35 + font_size * 0.35  # baseline of text centred on the bar
        parts.append(
            f'<text class="fg" x="{left - 8:.1f}" y="{middle:.1f}" text-anchor="end"'
            f' fill="{TEXT_COLOUR}"><title>{_text(label)}</title>'
            f"{_text(short(label))}</text>"
        )
        for s in series:
            length = room * s.values[i] / biggest
            if s.values[i]:
                parts.append(
                    f'<rect class="bar" x="{start:.2f}" y="{y:.1f}" width="{length:.2f}"'
                    f' height="{row * 0.7:.1f}" fill="{_colour(s.colour)}"'
                    f' data-value="{int(s.values[i])}" data-series="{_text(s.name)}">'
                    f"<title>{_text(label)} — {_text(s.name)}: {int(s.values[i])}</title></rect>"
                )
            start += length
        parts.append(
            f'<text class="fg" x="{start + 6:.1f}" y="{middle:.1f}"'
            f' fill="{TEXT_COLOUR}">{totals[i]:,}</text>'
        )
    return "\n".join([*parts, "</svg>"]) + "\n"


def column_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    colours: Sequence[str],
    *,
    width: int = 800,
    height: int = 360,
    font_size: int = 14,
    empty_message: str = "Nothing counted yet",
) -> str:
    """Vertical bars left to right (a timeline): heights proportional to the values over a scale
    of round numbers, a value over each bar while they are wide enough to read, and at most ~12
    axis labels, evenly spaced; the last column (e.g. "no date") is always labelled."""
    parts = _open(width, height, title, font_size)
    if not values:
        return _empty(parts, width, height, empty_message)
    biggest = max(max(values), 1)
    ticks = _round_ticks(biggest)
    left = max(len(f"{t:,}") for t in ticks) * font_size * 0.55 + 14
    right, top, bottom = 16, font_size * 4, font_size * 2.5
    plot_h, plot_w = height - top - bottom, width - left - right
    slot = plot_w / len(values)
    step = max(1, -(-len(values) // 12))
    base = top + plot_h
    small = round(font_size * 0.85)
    for tick in ticks:
        y = base - plot_h * tick / biggest
        parts += [
            f'<line class="grid" x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:g}"'
            f' y2="{y:.1f}" stroke="{GRID_COLOUR}"/>',
            f'<text class="muted" x="{left - 6:.1f}" y="{y + small * 0.35:.1f}" text-anchor="end"'
            f' font-size="{small}" fill="{MUTED_COLOUR}">{tick:,}</text>',
        ]
    for i, (label, value, colour) in enumerate(zip(labels, values, colours, strict=True)):
        bar_h = plot_h * value / biggest
        centre = left + (i + 0.5) * slot
        bar_w = min(slot * 0.7, font_size * 5)  # a few dates: columns, not slabs
        parts.append(
            f'<rect class="bar" x="{centre - bar_w / 2:.2f}" y="{base - bar_h:.2f}"'
            f' width="{bar_w:.2f}"'
            f' height="{bar_h:.2f}" fill="{_colour(colour)}" data-value="{int(value)}">'
            f"<title>{_text(label)}: {int(value)}</title></rect>"
        )
        if slot >= font_size * 2.2:
            parts.append(
                f'<text class="fg" x="{centre:.1f}" y="{base - bar_h - 4:.1f}"'
                f' text-anchor="middle" fill="{TEXT_COLOUR}">{int(value):,}</text>'
            )
        last = len(values) - 1
        if i == last or (i % step == 0 and last - i >= step / 2):
            parts.append(
                f'<text class="muted" x="{centre:.1f}" y="{base + font_size * 1.4:.1f}"'
                f' text-anchor="middle" font-size="{small}"'
                f' fill="{MUTED_COLOUR}">{_text(short(label, 12))}</text>'
            )
    return "\n".join([*parts, "</svg>"]) + "\n"


def _round_ticks(biggest: int) -> list[int]:
    """0 and round steps (1, 2 or 5 × 10ⁿ) up to `biggest`: three to six lines of scale."""
    raw = max(biggest / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, biggest + 1, int(step)))
