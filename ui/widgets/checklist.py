"""A list of tick boxes: roles that need a course, statements a question evidences."""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem


def tick_list(items: Iterable[tuple[str, Any]], ticked: Container[Any]) -> QListWidget:
    """One tick box per (label, value); those whose value is in ``ticked`` start ticked."""
    widget = QListWidget()
    for label, value in items:
        entry = QListWidgetItem(label)
        entry.setData(Qt.ItemDataRole.UserRole, value)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Checked if value in ticked else Qt.CheckState.Unchecked)
        widget.addItem(entry)
    return widget


def ticked_values(widget: QListWidget) -> list[Any]:
    """The values of the ticked boxes, in list order."""
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]
