"""Icons asked for before qtawesome's fonts are loaded (start-up) take their place blank and
paint their glyph once the fonts are in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QIcon
from pytestqt.qtbot import QtBot

from ui import icons


def _colours(icon: QIcon) -> set[tuple[int, int, int, int]]:
    image = icon.pixmap(32, 32).toImage()
    return {
        image.pixelColor(x, y).getRgb()  # type: ignore[misc]
        for x in range(image.width())
        for y in range(image.height())
    }


@pytest.fixture
def fonts_not_loaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(icons, "_qta", None)
    icons.icon.cache_clear()
    yield
    icons.icon.cache_clear()


def test_an_early_icon_is_blank_until_the_fonts_load_then_paints(
    qtbot: QtBot, fonts_not_loaded: None
) -> None:
    early = icons.icon("fa5s.users", icons.RED)
    assert not early.isNull()  # it takes its room in buttons and lists
    assert not icons.fonts_loaded()
    assert {alpha for *_rgb, alpha in _colours(early)} == {0}  # nothing painted yet
    icons.load_fonts()
    assert icons.fonts_loaded()
    painted = {rgba[:3] for rgba in _colours(early) if rgba[3] == 255}
    assert QColor(icons.RED).getRgb()[:3] in painted  # type: ignore[index]
    later = icons.icon("fa5s.users", icons.RED)
    assert later is not early and _colours(later) == _colours(early)
