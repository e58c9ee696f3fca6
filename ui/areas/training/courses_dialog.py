"""The course catalogue: intervals, ASC-WDS categories, and which job roles need each course."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.staff.queries import Choice, job_role_choices_in
from provider_desk.areas.training.queries import (
    CourseRow,
    asc_wds_categories,
    list_courses_in,
)
from provider_desk.areas.training.services import CourseInput, archive_course, save_course
from provider_desk.changes import TRAINING, Changes
from provider_desk.errors import Problem
from ui.context import AppContext, ask, show_failure
from ui.dialogs.base import FormDialog
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.checklist import tick_list, ticked_values
from ui.widgets.tables import fit_columns, make_table_view

COURSE_COLUMNS: list[Column[CourseRow]] = [
    Column("Course", lambda c: c.name),
    Column(
        "Refresher",
        lambda c: c.interval_text,
        sort=lambda c: c.refresher_months or 10_000,
        tooltip=lambda c: c.interval_note,
    ),
    Column(
        "ASC-WDS category",
        lambda c: f"{c.category_code} {c.category_name}" if c.category_code else "— none —",
        sort=lambda c: c.category_code or 0,
    ),
    Column(
        "Required by",
        lambda c: f"{len(c.required_role_ids)} role(s)" if c.required_role_ids else "optional",
        sort=lambda c: len(c.required_role_ids),
    ),
    Column("Kind", lambda c: "Competency (observed)" if c.competency else "Course"),
]


class CourseForm(FormDialog):
    """One course: name, interval, category, aliases and the roles that require it."""

    def __init__(
        self,
        ctx: AppContext,
        roles: list[Choice],
        course: CourseRow | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Edit course" if course else "Add course", parent)
        self.course = course
        f = self.form
        self.name = f.add("name", "Name *", QLineEdit(course.name if course else ""))
        interval_row = QWidget()
        row = QHBoxLayout(interval_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.months = QSpinBox()
        self.months.setRange(1, 240)
        self.months.setSuffix(" months")
        self.months.setValue(course.refresher_months or 12 if course else 12)
        self.never = QCheckBox("Does not expire")
        self.never.toggled.connect(self.months.setDisabled)
        self.never.setChecked(course is not None and course.refresher_months is None)
        row.addWidget(self.months)
        row.addWidget(self.never)
        row.addStretch(1)
        note = (
            course.interval_note
            if course and course.interval_note
            else (
                "How often staff must refresh it. Sources differ for some courses: choose "
                "what your policy says."
            )
        )
        f.add("refresher_months", "Refresh every", interval_row, note)
        self.category = QComboBox()
        self.category.addItem("— none —", None)
        for code, name in sorted(asc_wds_categories().items()):
            self.category.addItem(f"{code} {name}", code)
        self.category.setCurrentIndex(
            max(0, self.category.findData(course.category_code if course else None))
        )
        f.add(
            "category_code",
            "ASC-WDS category",
            self.category,
            "Needed to send this course to ASC-WDS in the training bulk-upload file.",
        )
        self.competency = QCheckBox("An observed competency assessment, not a course")
        self.competency.setChecked(bool(course and course.competency))
        f.add("competency", "", self.competency)
        self.aliases = QPlainTextEdit("\n".join(course.aliases) if course else "")
        self.aliases.setFixedHeight(60)
        f.add(
            "aliases",
            "Other names",
            self.aliases,
            "One per line: how your spreadsheets or trainers write it (e.g. M&H), so imports "
            "recognise it.",
        )
        self.roles = tick_list(
            ((r.label, r.id) for r in roles), course.required_role_ids if course else ()
        )
        self.roles.setFixedHeight(150)
        f.add(
            "roles",
            "Required for",
            self.roles,
            "Staff in the ticked roles must hold this course; it then appears in the matrix.",
        )

    def build(self, problems: list[Problem]) -> tuple[CourseInput, list[int]]:
        data = CourseInput(
            name=self.name.text(),
            refresher_months=None if self.never.isChecked() else self.months.value(),
            category_code=self.category.currentData(),
            competency=self.competency.isChecked(),
            interval_note=self.course.interval_note if self.course else "",
            aliases=tuple(self.aliases.toPlainText().splitlines()),
        )
        return data, ticked_values(self.roles)

    def save(self, value: tuple[CourseInput, list[int]]) -> Callable[[], Changes]:
        data, roles = value
        return partial(
            save_course,
            self.ctx.db,
            data,
            self.course.id if self.course else None,
            roles,
            expected_version=self.course.version if self.course else None,
        )


class CoursesDialog(QDialog):
    """The catalogue, with Add, Edit and Retire."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roles: list[Choice] = []
        self.setWindowTitle("Courses")
        self.resize(860, 560)
        self.model: RowTableModel[CourseRow] = RowTableModel(COURSE_COLUMNS, self)
        self.table = make_table_view(self.model)
        intro = QLabel(
            "Intervals and required roles drive every status in the matrix. Changing "
            "an interval updates every expiry that was not entered by hand."
        )
        intro.setWordWrap(True)
        add, edit, retire = QPushButton("Add…"), QPushButton("Edit…"), QPushButton("Retire…")
        add.clicked.connect(lambda: self.open_form(None))
        edit.clicked.connect(self._edit_selected)
        retire.clicked.connect(self._retire_selected)
        self.table.doubleClicked.connect(lambda _i: self._edit_selected())
        self.table.activated.connect(lambda _i: self._edit_selected())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (add, edit, retire):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(close)
        ctx.changed.connect(self._on_ctx_changed)
        self.refresh()

    def refresh(self) -> None:
        """Reload the catalogue."""
        db = self.ctx.db
        self.ctx.tasks.run(
            lambda: db.read(lambda s: (list_courses_in(s), job_role_choices_in(s))),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading courses"),
        )

    def _on_loaded(self, loaded: tuple[list[CourseRow], list[Choice]]) -> None:
        courses, self.roles = loaded
        self.model.set_rows(courses)
        fit_columns(self.table)

    def _on_ctx_changed(self, changes: Changes) -> None:
        if changes.touches(TRAINING):
            self.refresh()

    def selected(self) -> CourseRow | None:
        """The course selected."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _edit_selected(self) -> None:
        course = self.selected()
        if course is not None:
            self.open_form(course)

    def open_form(self, course: CourseRow | None) -> CourseForm:
        """Open the course form."""
        form = CourseForm(self.ctx, self.roles, course, self)
        form.open()
        return form

    def _retire_selected(self) -> None:
        course = self.selected()
        if course is None:
            return
        answer = ask(
            self,
            "Retire course",
            f"Retire '{course.name}'? It leaves the matrix and no role requires it any more. "
            "Records of it stay on file.",
        )
        if answer:
            self.ctx.tasks.run(
                partial(archive_course, self.ctx.db, course.id, expected_version=course.version),
                on_success=self.ctx.announce,
                on_failure=lambda e: show_failure(self, e, "Retiring the course"),
            )
