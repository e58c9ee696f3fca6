"""Forms that show each validation message right under the field it is about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from provider_desk.errors import Problem, ValidationError
from provider_desk.rules.dates import DateParseError
from ui.widgets.date_field import DateField

#: The concrete widget a field was added with, so callers keep its type.
W = TypeVar("W", bound=QWidget)


class FieldForm(QWidget):
    """A form layout in which every field has an error label beneath it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel(self)
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()

    def add(self, name: str, label: str, widget: W, help_text: str = "") -> W:
        """Add a field called ``name`` (the core's field name, so errors land under it).

        The error and the help text are rows of their own, so the form lays wrapped text out at
        its full height; the error row stays hidden until there is something to say.
        """
        if isinstance(widget, QComboBox) and widget.isEditable():
            # An editable box sized to its (often empty) items is too narrow to type in.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(28)
        self.layout_.addRow(label, widget)
        error = QLabel(self)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        self.layout_.addRow("", error)
        self.layout_.setRowVisible(error, False)
        if help_text:
            widget.setToolTip(help_text)
            hint = QLabel(help_text, self)
            hint.setObjectName("fieldHelp")
            hint.setWordWrap(True)
            self.layout_.addRow("", hint)
        self.fields[name] = widget
        self.errors[name] = error
        return widget

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in self.errors.values():
            label.clear()
            self.layout_.setRowVisible(label, False)
        self.general_error.hide()

    def show_problems(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        """Put each message under its field (or at the top if no field matches)."""
        self.clear_errors()
        general = []
        first: QWidget | None = None
        for p in problems:
            label = self.errors.get(p.field)
            if label is None:
                general.append(p.message)
                continue
            label.setText((label.text() + "\n" if label.text() else "") + p.message)
            self.layout_.setRowVisible(label, True)
            first = first or self.fields[p.field]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            target = first.edit if isinstance(first, DateField) else first
            target.setFocus()

    def read_date(self, name: str, problems: list[Problem]) -> date | None:
        """The date in field ``name``; a parse problem is added to ``problems``."""
        widget = self.fields[name]
        assert isinstance(widget, DateField)
        try:
            return widget.date()
        except DateParseError as exc:
            problems.append(Problem(name, str(exc)))
            return None


def collect(form: FieldForm, build: Callable[[list[Problem]], Any]) -> Any:
    """Build the input value, raising one ValidationError for unreadable fields."""
    problems: list[Problem] = []
    value = build(problems)
    if problems:
        raise ValidationError(problems)
    return value
