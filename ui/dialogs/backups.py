"""Backup dialogs: this PC's backup settings, "Back up now" with progress, and the restore
wizard (choose a backup -> what it holds against what you have now -> confirm -> restore)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from provider_desk import clock
from provider_desk.backup.making import (
    BackupFile,
    Made,
    backup_to_folder,
    describe_moment,
    list_backups,
)
from provider_desk.backup.pc_settings import BackupSettings, save_backup_settings
from provider_desk.backup.restoring import (
    OTHERS_WARNING,
    Holding,
    Restored,
    check_backup,
    describe_database,
    kept_name,
    restore_backup,
)
from provider_desk.errors import StorageError
from provider_desk.progress import Cancelled
from ui.backups import ProgressRelay

if TYPE_CHECKING:
    from ui.backups import Backups
    from ui.context import AppContext


def _when(made: object) -> str:
    import datetime as dt

    if not isinstance(made, dt.datetime):
        return "unknown date"
    local = made.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.hide()
    return label


def _folder_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


class BackupSettingsDialog(QDialog):
    """Where backups go on this PC, and whether the app makes them by itself."""

    def __init__(self, backups: Backups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups = backups
        self.setWindowTitle("Backups on this PC")
        self.setMinimumWidth(560)
        current = backups.settings
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Backups are copies of the whole database, checked before they count. Keep them "
            "on another drive — a USB drive or a network folder — so that one failing disk "
            "cannot take both. These settings belong to this PC only (another PC may see the "
            "same drive under another letter)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Backup folder"))
        self.folder = QLineEdit(str(current.folder) if current.folder else "")
        default = backups.source.parent / "backups" if backups.source else None
        self.folder.setPlaceholderText(
            f"A 'backups' folder beside the database ({default})" if default else ""
        )
        self.choose = QPushButton("Choose…")
        self.choose.clicked.connect(self._on_choose_clicked)
        layout.addWidget(_folder_row(self.folder, self.choose))
        self.automatic = QCheckBox("Back up automatically")
        self.automatic.setChecked(current.automatic)
        layout.addWidget(self.automatic)
        help_text = QLabel(
            "When Provider Desk closes (if anything changed), and when it starts if the last "
            "good backup is more than a day old. 7 daily, 4 weekly and 12 monthly backups are "
            "kept; older ones are removed."
        )
        help_text.setObjectName("fieldHelp")
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_choose_clicked(self) -> None:
        start = self.folder.text() or str(self.backups.folder or "")
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", start)
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> None:
        """Save to this PC's settings file (a few bytes: fine on the GUI thread)."""
        text = self.folder.text().strip()
        folder = Path(text).expanduser() if text else None
        if folder is not None and folder.exists() and not folder.is_dir():
            self.error.setText(f"{folder} is a file, not a folder. Choose a folder.")
            self.error.show()
            return
        try:
            save_backup_settings(BackupSettings(folder, self.automatic.isChecked()))
        except OSError as exc:
            self.error.setText(f"The settings could not be saved: {exc}.")
            self.error.show()
            return
        self.backups.reload_settings()
        self.accept()


class BackupNowDialog(QDialog):
    """Back up now into the backup folder, with progress; says what was made and verified."""

    made = Signal(object)  # Made

    def __init__(self, ctx: AppContext, backups: Backups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backups = backups
        self.relay: ProgressRelay | None = None
        self.result_made: Made | None = None
        self.setWindowTitle("Back up now")
        self.setMinimumWidth(680)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Back up the database into this folder:"))
        self.folder = QLineEdit(str(backups.folder or ""))
        self.folder.setReadOnly(True)
        self.change = QPushButton("Change…")
        self.change.clicked.connect(self._on_change_clicked)
        layout.addWidget(_folder_row(self.folder, self.change))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.step = QLabel()
        self.step.setObjectName("fieldHelp")
        layout.addWidget(self.progress)
        layout.addWidget(self.step)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMinimumHeight(200)
        self.report.hide()
        layout.addWidget(self.report)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.start = self.buttons.addButton("Back up", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start.setObjectName("primaryButton")
        self.start.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.start.clicked.connect(self.run)
        self.close_button.clicked.connect(self._on_close_clicked)
        layout.addWidget(self.buttons)

    def _on_change_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Back up into", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _on_close_clicked(self) -> None:
        if self.relay is not None:
            self.relay.cancel()  # the copy stops at its next step and leaves nothing behind
        self.reject()

    def run(self) -> None:
        """Make the backup on the worker; progress shows here."""
        source = self.backups.source
        if source is None:
            return
        folder = Path(self.folder.text())
        relay = self.relay = ProgressRelay(self)
        relay.moved.connect(self._on_relay_moved)
        self.error.hide()
        self.report.hide()
        self.start.setEnabled(False)
        self.change.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.step.setText("Starting…")
        self.ctx.tasks.run(
            lambda: backup_to_folder(source, folder, now=clock.local_now(), progress=relay),
            on_success=self._on_made,
            on_failure=self._on_failed,
            export=True,  # reads the database through its own connection
        )

    def _on_relay_moved(self, done: int, total: int, what: str) -> None:
        self.progress.setValue(done * 100 // max(total, 1))
        self.step.setText(what)

    def _on_made(self, made: Made) -> None:
        self.relay = None
        self.result_made = made
        self.progress.setValue(100)
        self.step.setText("Made and verified.")
        self.report.setPlainText("\n".join(made.describe()))
        self.report.show()
        self.start.setText("Back up again")
        self.start.setEnabled(True)
        self.change.setEnabled(True)
        self.backups.made(made)
        self.made.emit(made)

    def _on_failed(self, exc: BaseException) -> None:
        self.relay = None
        if not isinstance(exc, StorageError):
            raise exc
        self.progress.hide()
        self.step.setText("")
        self.error.setText(f"No backup was made. {exc}")
        self.error.show()
        self.start.setText("Try again")
        self.start.setEnabled(True)
        self.change.setEnabled(True)


@dataclass(frozen=True)
class Comparison:
    """A checked backup beside what the database holds now."""

    backup: Holding
    current: Holding | None


class _ChoosePage(QWizardPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose a backup")
        self.setSubTitle("Backups in your backup folder, newest first; or choose a file.")
        layout = QVBoxLayout(self)
        self.folder = QLabel()
        self.folder.setObjectName("fieldHelp")
        self.folder.setWordWrap(True)
        layout.addWidget(self.folder)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self.completeChanged)
        self.list.itemDoubleClicked.connect(lambda _i: wizard.next())
        layout.addWidget(self.list, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty)
        self.pick = QPushButton("Choose a file…")
        self.pick.clicked.connect(self._on_pick_clicked)
        row = QHBoxLayout()
        row.addWidget(self.pick)
        row.addStretch(1)
        layout.addLayout(row)

    def set_files(self, folder: Path | None, files: list[BackupFile]) -> None:
        self.folder.setText(f"Folder: {folder}" if folder else "")
        self.list.clear()
        for f in files:
            m = f.manifest
            if m is not None:
                areas = m.areas
                text = (
                    f"{_when(m.made_at)} — {areas['Staff members']:,} staff members, "
                    f"{areas['People supported']:,} people supported — "
                    + ("verified" if f.good else "changed since it was made")
                )
            else:
                text = f"{f.path.name} — no manifest: checked when you choose it"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(f.path))
            item.setToolTip(str(f.path))
            self.list.addItem(item)
        if files:
            self.list.setCurrentRow(0)
        self.empty.setText(
            "There are no backups in this folder. Choose a backup file instead."
            if not files
            else ""
        )
        self.empty.setVisible(not files)

    def _on_pick_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup",
            str(self.wiz.backups.folder or ""),
            "Provider Desk backup (*.sqlite3 *.db);;All files (*)",
        )
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        """Offer ``path`` (chosen as a file) and select it."""
        item = QListWidgetItem(f"{path.name} — chosen file ({path.parent})")
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.list.insertItem(0, item)
        self.list.setCurrentRow(0)
        self.empty.hide()

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(str(item.data(Qt.ItemDataRole.UserRole))) if item is not None else None

    def isComplete(self) -> bool:
        return self.chosen() is not None


class _ComparePage(QWizardPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.comparison: Comparison | None = None
        self.setTitle("What the backup holds")
        self.setSubTitle("Checked first: unchanged since it was made, sound, change log intact.")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["", "In the backup", "Now"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.error = _error_label()
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self.comparison = None
        self.table.setRowCount(0)
        self.error.hide()
        chosen = self.wiz.choose.chosen()
        database = self.wiz.backups.source
        if chosen is None or database is None:
            return
        self.status.setText(f"Checking {chosen.name}…")

        def compare() -> Comparison:
            return Comparison(check_backup(chosen), describe_database(database))

        self.wiz.ctx.tasks.run(
            compare, on_success=self.show_comparison, on_failure=self._on_failed, export=True
        )

    def show_comparison(self, comparison: Comparison) -> None:
        self.comparison = comparison
        b, now = comparison.backup, comparison.current
        made = _when(b.made_at) if b.made_at else "an unknown date (no manifest beside it)"
        self.status.setText(
            f"<b>{b.path.name}</b>, made {made}: verified — sound, change log intact "
            f"({b.chain_entries:,} entries)."
        )
        rows = list(b.areas.items())
        self.table.setRowCount(len(rows) + 1)
        for r, (label, n) in enumerate(rows):
            current = f"{now.areas[label]:,}" if now is not None and now.tables else "—"
            for c, text in enumerate((label, f"{n:,}", current)):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)

        def last(h: Holding | None) -> str:
            if h is None or h.last_change is None:
                return "—"
            return f"{describe_moment(h.last_change.at)}, {h.last_change.who}"

        r = len(rows)
        for c, text in enumerate(("Last change", last(b), last(now))):
            self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.completeChanged.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StorageError):
            raise exc
        self.status.setText("")
        self.error.setText(f"This backup cannot be restored. {exc}")
        self.error.show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.comparison is not None


class _ConfirmPage(QWizardPage):
    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Replace the database")
        self.setSubTitle("Nothing has been changed yet.")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.what = QLabel()
        self.what.setWordWrap(True)
        layout.addWidget(self.what)
        warning = QLabel(OTHERS_WARNING)
        warning.setWordWrap(True)
        layout.addWidget(warning)
        self.sure = QCheckBox("Replace the database with this backup")
        self.sure.toggled.connect(self.completeChanged)
        layout.addWidget(self.sure)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        comparison = self.wiz.compare.comparison
        database = self.wiz.backups.source
        self.sure.setChecked(False)
        self.error.hide()
        if comparison is None or database is None:
            return
        made = _when(comparison.backup.made_at)
        kept = kept_name(database, clock.local_now()).name
        self.what.setText(
            f"The database <b>{database}</b> will be replaced by the backup made {made}. "
            f"Everything saved since then will be gone from it; the current database is kept "
            f"beside it as <b>{kept}</b>, so nothing is lost for good. Provider Desk then "
            "reopens the database."
        )

    def isComplete(self) -> bool:
        return self.sure.isChecked() and self.wiz.running is False


class RestoreWizard(QWizard):
    """Choose a backup -> what it holds vs. now -> confirm -> restore; ``restored`` then fires
    (the main window reopens the database)."""

    restored = Signal(object)  # Restored

    def __init__(self, ctx: AppContext, backups: Backups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backups = backups
        self.running = False
        self.done_restore: Restored | None = None
        self.setWindowTitle("Restore from a backup")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(720, 520)
        self.choose = _ChoosePage(self)
        self.compare = _ComparePage(self)
        self.confirm = _ConfirmPage(self)
        for page in (self.choose, self.compare, self.confirm):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Restore")
        self.load_folder()

    def load_folder(self) -> None:
        """List the backup folder (on the worker: it may be a slow network drive)."""
        folder = self.backups.folder
        if folder is None:
            self.choose.set_files(None, [])
            return
        self.ctx.tasks.run(
            lambda: list_backups(folder),
            on_success=lambda files: self.choose.set_files(folder, files),
            on_failure=lambda _e: self.choose.set_files(folder, []),
            export=True,
        )

    def accept(self) -> None:
        """Restore on the worker (after whatever is saving), then close and report."""
        if self.done_restore is not None:
            super().accept()
            return
        comparison = self.compare.comparison
        database = self.backups.source
        if comparison is None or database is None or self.running:
            return
        self.running = True
        self.confirm.completeChanged.emit()
        relay = ProgressRelay(self)
        relay.moved.connect(lambda d, t, _w: self.confirm.progress.setValue(d * 100 // max(t, 1)))
        self.confirm.progress.show()
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        db = self.ctx.db
        actor = db.actor
        backup = comparison.backup.path

        def run() -> Restored:
            db.dispose()  # this app's own connections to the old file
            return restore_backup(
                backup, database, now=clock.local_now(), progress=relay, actor=actor
            )

        self.ctx.tasks.run(run, on_success=self._on_restored, on_failure=self._on_failed)

    def _on_restored(self, done: Restored) -> None:
        self.running = False
        self.done_restore = done
        self.restored.emit(done)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.running = False
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.confirm.progress.hide()
        self.confirm.completeChanged.emit()
        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, StorageError):
            raise exc
        self.confirm.error.setText(f"Nothing was restored. {exc}")
        self.confirm.error.show()
