"""Secondary and alert text stays readable in both appearances (WCAG contrast to the ground)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from widgets import theme


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * (channel(colour.blueF()))
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(params=["light", "dark"])
def appearance(request, qapp):
    theme.apply_appearance(request.param)
    yield request.param
    theme.apply_appearance("light")  # the palette is the application's: leave it as found


def test_muted_and_alert_text_can_be_read_on_the_ground_of_each_appearance(appearance):
    palette = QGuiApplication.palette()
    ground = palette.color(QPalette.ColorRole.Base)
    assert theme.is_dark(palette) == (appearance == "dark")
    assert contrast(theme.muted(), ground) >= 3.0  # secondary text (large-text AA)
    for kind in ("error", "notice"):
        colour = QColor(re.search(r"#[0-9A-Fa-f]{6}", theme.alert_css(kind)).group())
        assert contrast(colour, ground) >= 4.5, (kind, appearance, colour.name())
