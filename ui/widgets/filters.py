"""Filter drop-downs that can be refilled without losing the user's choice."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox


def refill_combo(
    combo: QComboBox, everything: str, values: Iterable[object], labels: Iterable[str] | None = None
) -> None:
    """Put 'everything' (no filter) and ``values`` in ``combo``, keeping the current choice if it
    is still there, without emitting a change while doing it."""
    values = list(values)
    texts = list(labels) if labels is not None else [str(v) for v in values]
    current = combo.currentData()
    combo.blockSignals(True)
    # Long names (a team, an owner) must not widen the page past a 1280-pixel screen.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.clear()
    combo.addItem(everything, None)
    for value, text in zip(values, texts, strict=True):
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
