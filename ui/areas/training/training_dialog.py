"""Record training: one person, or everyone who attended a session, in one go."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.staff.queries import Choice
from provider_desk.areas.training import services as training_service
from provider_desk.areas.training.queries import CourseRow, TrainingRecordRow
from provider_desk.areas.training.rules import derived_expiry
from provider_desk.attachments import CERTIFICATE_TYPES
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.rules.dates import DateParseError, format_date
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class PeopleChecklist(QWidget):
    """A filterable list of people with tick boxes (who attended)."""

    def __init__(self, people: list[Choice], ticked: set[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to find a person")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(150)
        for p in people:
            item = QListWidgetItem(p.label)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.list.itemChanged.connect(lambda _i: self._update_count())
        self._update_count()

    def _on_filter_changed(self, text: str) -> None:
        words = text.lower().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(any(w not in item.text().lower() for w in words))

    def _update_count(self) -> None:
        self.count.setText(f"{len(self.ticked())} ticked")

    def ticked(self) -> list[int]:
        """The ids of the people ticked."""
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_ticked(self, ids: set[int]) -> None:
        """Tick exactly these people."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in ids
                else Qt.CheckState.Unchecked
            )


class TrainingDialog(FormDialog):
    """Add completions (one or many people) or correct one existing record."""

    history_table = "training_record"
    history_holder = "record"

    def __init__(
        self,
        ctx: AppContext,
        people: list[Choice],
        courses: list[CourseRow],
        *,
        staff_ids: set[int] | None = None,
        course_id: int | None = None,
        record: TrainingRecordRow | None = None,
        providers: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Correct training record" if record else "Record training"
        super().__init__(ctx, title, parent)
        self.record = record
        self.courses = {c.id: c for c in courses}
        self.certificate: Path | None = None
        f = self.form
        if record is None:
            self.people: PeopleChecklist | None = PeopleChecklist(people, staff_ids or set())
            f.add(
                "staff_ids",
                "Who completed it *",
                self.people,
                "Tick everyone who attended a session to record them all at once.",
            )
        else:
            self.people = None
            f.add("staff_id", "Person", QLabel(record.staff_name))
        self.course = QComboBox()
        self.course.addItem("Choose…", None)
        for c in courses:
            self.course.addItem(c.name, c.id)
        f.add("course_id", "Course *", self.course)
        self.completed_on = f.add("completed_on", "Completed on *", DateField(optional=False))
        self.expires_on = f.add(
            "expires_on",
            "Expires on",
            DateField(),
            "Leave blank to use the course's refresher interval.",
        )
        self.expiry_hint = QLabel()
        self.expiry_hint.setObjectName("fieldHelp")
        f.layout_.addRow("", self.expiry_hint)
        self.provider = QComboBox()
        self.provider.setEditable(True)
        self.provider.addItems(["", *(providers or [])])
        f.add("provider", "Trainer or provider", self.provider)
        self.delivery = QComboBox()
        self.delivery.addItem("", "")
        for d in training_service.DELIVERY:
            self.delivery.addItem(d.capitalize(), d)
        f.add("delivery", "Delivery", self.delivery)
        self.accredited = QComboBox()
        self.accredited.addItem("", "")
        for a in training_service.ACCREDITED:
            self.accredited.addItem(a.capitalize(), a)
        f.add("accredited", "Accredited", self.accredited)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(55)
        f.add("notes", "Notes", self.notes)
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.file_label = QLabel(
            record.certificate if record and record.certificate else "No certificate attached"
        )
        choose = QPushButton("Attach certificate…")
        choose.clicked.connect(self._on_choose_clicked)
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        f.add(
            "certificate_path",
            "Certificate",
            file_row,
            "PDF or picture up to 10 MB, kept inside the database.",
        )
        if record is not None:
            self.course.setCurrentIndex(max(0, self.course.findData(record.course_id)))
            self.completed_on.set_date(record.completed_on)
            self.expires_on.set_date(record.expires_on if record.expiry_overridden else None)
            self.provider.setCurrentText(record.provider)
            self.delivery.setCurrentIndex(max(0, self.delivery.findData(record.delivery)))
            self.accredited.setCurrentIndex(max(0, self.accredited.findData(record.accredited)))
            self.notes.setPlainText(record.notes)
        else:
            self.course.setCurrentIndex(max(0, self.course.findData(course_id)))
            self.completed_on.set_date(ctx.today())
        self.course.currentIndexChanged.connect(lambda _i: self._update_hint())
        self.completed_on.changed.connect(self._update_hint)
        self._update_hint()

    def _update_hint(self) -> None:
        course = self.courses.get(self.course.currentData())
        try:
            done = self.completed_on.date()
        except DateParseError:
            done = None
        if course is None or done is None:
            self.expiry_hint.setText("")
            return
        expiry = derived_expiry(done, course.refresher_months)
        self.expiry_hint.setText(
            f"{course.interval_text}: "
            + (
                f"expires {format_date(expiry)} unless you enter another date."
                if expiry
                else "does not expire."
            )
        )

    def _on_choose_clicked(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(CERTIFICATE_TYPES))
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach certificate", "", f"PDF or picture ({patterns})"
        )
        if name:
            self.set_certificate(Path(name))

    def set_certificate(self, path: Path) -> None:
        """Attach ``path`` when saving."""
        self.certificate = path
        self.file_label.setText(path.name)

    def build(self, problems: list[Problem]) -> training_service.TrainingInput:
        return training_service.TrainingInput(
            course_id=self.course.currentData(),
            completed_on=self.form.read_date("completed_on", problems),
            expires_on=self.form.read_date("expires_on", problems),
            provider=self.provider.currentText(),
            delivery=self.delivery.currentData(),
            accredited=self.accredited.currentData(),
            notes=self.notes.toPlainText(),
            certificate_path=self.certificate,
        )

    def save(self, value: training_service.TrainingInput) -> Callable[[], Changes]:
        if self.record is not None:
            return partial(
                training_service.update_record,
                self.ctx.db,
                self.record.id,
                value,
                expected_version=self.record.version,
                today=self.ctx.today(),
            )
        assert self.people is not None
        return partial(
            training_service.record_session,
            self.ctx.db,
            self.people.ticked(),
            value,
            today=self.ctx.today(),
        )
