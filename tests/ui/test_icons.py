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


def test_every_icon_named_in_the_code_is_in_a_loaded_set() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = {
        match
        for folder in ("ui", "provider_desk")
        for path in (root / folder).rglob("*.py")
        for match in re.findall(r"[\"']([a-z0-9]+)\.[a-z0-9-]+[\"']", path.read_text("utf-8"))
        if re.fullmatch(r"fa\d?[a-z]?|mdi\d?|ph|ri|msc|ei", match)
    }
    assert named == set(icons.FONT_PREFIXES), (
        f"Icons from {sorted(named - set(icons.FONT_PREFIXES))} are named in the code but their "
        "fonts are not loaded: add them to ui.icons.FONT_PREFIXES."
    )
