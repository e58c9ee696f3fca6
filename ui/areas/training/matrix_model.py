"""The training matrix as a Qt model: people down, courses across, status in words, colour and
icon in every cell, each course's compliance in its header."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from provider_desk.areas.training.queries import MatrixCell, MatrixPerson, TrainingMatrix
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, mark, word
from ui.icons import qcolor
from ui.levels import level_fill, level_icon
from ui.models.table import ROW_ROLE, SORT_ROLE, SortedRowsModel, sort_key

FIXED_COLUMNS = ("Name", "Job role", "% in date")
CELL_ROLE = Qt.ItemDataRole.UserRole + 2


def short_date(value: Any) -> str:
    """'2 Jun 2027': the one date style of every grid, list and PDF (see format_date)."""
    return format_date(value)


def cell_text(c: MatrixCell) -> str:
    """What a cell says. Dated cells show the expiry; the icon's shape (tick, clock, cross) says
    in date, due or expired, so the matrix reads without colour."""
    if c.status in (Level.MISSING, Level.NOT_REQUIRED):
        return mark(c.status, "training")
    return "No expiry" if c.expires_on is None else short_date(c.expires_on)


@dataclass(frozen=True)
class MatrixRow:
    """One person with their cells and score (what filters and the panel look at)."""

    person: MatrixPerson
    cells: tuple[MatrixCell, ...]
    percent: float | None


@dataclass(frozen=True)
class PreparedMatrix:
    """The matrix with everything the table and its summary show worked out in advance, on the
    worker that read it: the window's thread then only swaps the rows in (for the huge demo,
    scoring 1,000 people and the course headers on the window's thread took ~0.3 s)."""

    matrix: TrainingMatrix
    rows: tuple[MatrixRow, ...]
    headers: tuple[str, ...]
    header_tips: tuple[str, ...]
    required_at: dict[Level, int]
    """How many required cells are at each level."""
    overall: float | None


def prepare_matrix(matrix: TrainingMatrix) -> PreparedMatrix:
    """Score every person and course of ``matrix`` (plain Python: run it off the GUI thread)."""
    rows = tuple(
        MatrixRow(p, matrix.cells[i], matrix.person_compliance(i).percent)
        for i, p in enumerate(matrix.people)
    )
    headers, tips = [], []
    for j, course in enumerate(matrix.courses):
        score = matrix.course_compliance(j)
        pct = "—" if score.percent is None else f"{score.percent:.0f}%"
        headers.append("\n".join(textwrap.wrap(course.name, 16)[:4]) + f"\n{pct}")
        tips.append(
            f"{course.name} ({course.interval_text.lower()}): {score.compliant} of "
            f"{score.required} who need it are in date."
        )
    required_at = dict.fromkeys(Level, 0)
    for cells in matrix.cells:
        for c in cells:
            if c.required:
                required_at[c.status] += 1
    return PreparedMatrix(
        matrix, rows, tuple(headers), tuple(tips), required_at, matrix.overall().percent
    )


class MatrixModel(SortedRowsModel[MatrixRow]):
    """Replaced wholesale by ``set_matrix()``; sorts its own rows (one key per row)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: TrainingMatrix | None = None
        self.prepared: PreparedMatrix | None = None

    def set_matrix(self, matrix: TrainingMatrix | PreparedMatrix) -> None:
        """Show ``matrix`` (keeping the current sort); prepare it on the worker that read it
        (:func:`prepare_matrix`) to keep the window's thread free."""
        prepared = matrix if isinstance(matrix, PreparedMatrix) else prepare_matrix(matrix)
        self.matrix, self.prepared = prepared.matrix, prepared
        self.replace_rows(prepared.rows)

    def course_at(self, column: int) -> Any:
        """The CourseRow of a course column (None for the fixed columns)."""
        if self.matrix is None or column < len(FIXED_COLUMNS):
            return None
        return self.matrix.courses[column - len(FIXED_COLUMNS)]

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(FIXED_COLUMNS) + len(self.matrix.courses)

    def sort_value(self, row: MatrixRow, column: int) -> Any:
        if column == 0:
            return row.person.sort_name
        if column == 1:
            return row.person.job_role
        if column == 2:
            return -1 if row.percent is None else row.percent
        c = row.cells[column - len(FIXED_COLUMNS)]
        # Worst first: missing, expired (longest ago first), due soonest, then in date.
        when = c.expires_on.toordinal() if c.expires_on else 99_999_999
        return c.status.rank * 100_000_000 + when

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return sort_key(self.sort_value(row, col))
        if col < len(FIXED_COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                if col == 0:
                    return row.person.sort_name
                if col == 1:
                    return row.person.job_role + (
                        f" · {row.person.team}" if row.person.team else ""
                    )
                return "—" if row.percent is None else f"{row.percent:.0f}%"
            if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.ToolTipRole and col == 0 and row.person.status != "active":
                return f"{row.person.full_name} is {row.person.status}"
            return None
        c = row.cells[col - len(FIXED_COLUMNS)]
        if role == CELL_ROLE:
            return c
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(c)
        if role == Qt.ItemDataRole.BackgroundRole:
            return level_fill(c.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return qcolor("#1d2a33")
        if role == Qt.ItemDataRole.DecorationRole:
            return None if c.status is Level.NOT_REQUIRED else level_icon(c.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and c.status is Level.NOT_REQUIRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            course = self.course_at(col)
            parts = [f"{course.name}: {word(c.status, 'training')}"]
            if c.completed_on:
                parts.append(f"completed {format_date(c.completed_on)}")
            if c.expires_on:
                parts.append(f"expires {format_date(c.expires_on)}")
            return "; ".join(parts) + ". Press Enter or double-click to add a record."
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.matrix is None:
            return None
        if section < 0 or section >= self.columnCount():
            return None
        if section < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[section] if role == Qt.ItemDataRole.DisplayRole else None
        j = section - len(FIXED_COLUMNS)
        assert self.prepared is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.prepared.headers[j]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.prepared.header_tips[j]
        return None
