"""The window's backups: the status bar's "Backed up 2 hours ago", automatic backups (at start
when the last good one is over a day old, and on exit), all on the worker, never on the GUI
thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from provider_desk import clock
from provider_desk.backup.making import Made, automatic_backup, backup_age, last_good_backup
from provider_desk.backup.pc_settings import BackupSettings, backup_folder, load_backup_settings
from provider_desk.db.engine import sqlite_path
from provider_desk.errors import StorageError
from provider_desk.progress import Cancelled

if TYPE_CHECKING:
    from provider_desk.backup.manifest import Manifest
    from ui.context import AppContext

AGE_REFRESH_MS = 10 * 60 * 1000
"""How often "Backed up 2 hours ago" is reworded (no file is read for it)."""


class ProgressRelay(QObject):
    """A Qt-free progress callback for the worker whose reports arrive on the GUI thread as
    ``moved``; ``cancel()`` makes the next report answer False (the work stops and cleans up)."""

    moved = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = False

    def __call__(self, done: int, total: int, what: str) -> bool:
        self.moved.emit(done, total, what)
        return not self.cancelled

    def cancel(self) -> None:
        """Stop the work at its next report."""
        self.cancelled = True


class Backups(QObject):
    """Backups of the window's database: where they go, the last good one, automatic ones."""

    last_changed = Signal(object)  # Manifest | None

    def __init__(self, ctx: AppContext, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.label = label
        self.label.setObjectName("backupAge")
        self.settings: BackupSettings = load_backup_settings()
        self.source: Path | None = sqlite_path(ctx.db.url)
        self.last: Manifest | None = None
        self.failure: str = ""
        self.automatic_on_exit = False
        self._exit_done = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.show_age)
        self._timer.start(AGE_REFRESH_MS)
        if self.source is None:
            self.label.setText("Backups: on the server (pg_dump)")
            self.label.setToolTip(
                "This database is on a PostgreSQL server: it is backed up there with pg_dump."
            )
        else:
            self.label.setText("")

    @property
    def folder(self) -> Path | None:
        """Where this database's backups go (None: a server database)."""
        return backup_folder(self.source, self.settings) if self.source is not None else None

    def reload_settings(self) -> None:
        """Read this PC's backup settings again (after the settings dialog saved them)."""
        self.settings = load_backup_settings()
        self.refresh()

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Find the last good backup in the folder (on the worker: it may be a network drive)."""
        folder, source = self.folder, self.source
        if folder is None or source is None:
            return
        where = str(source.resolve())

        def found(last: Manifest | None) -> None:
            self.set_last(last)
            if then is not None:
                then()

        self.ctx.tasks.run(
            lambda: last_good_backup(folder, where),
            on_success=found,
            on_failure=lambda _e: None,
            export=True,
        )

    def set_last(self, last: Manifest | None) -> None:
        """The newest good backup is ``last``: reword the status bar."""
        self.last = last
        self.failure = ""
        self.show_age()
        self.last_changed.emit(last)

    def show_age(self) -> None:
        """Reword the status bar: its age, amber after 7 days, red when never or failed."""
        if self.source is None or not shiboken6.isValid(self.label):
            return  # a server database, or the window closed while a backup was being found
        if self.failure:
            text, level = "Last backup failed", "red"
            tip = self.failure
        else:
            age = backup_age(self.last.made_at if self.last else None, clock.local_now())
            text, level = age.text, age.level
            tip = (
                f"The last good backup is {self.last.file} in {self.folder}."
                if self.last is not None
                else f"No verified backup of this database in {self.folder} yet. "
                "File > Back up now… makes one."
            )
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.label.setProperty("level", level)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)

    def made(self, made: Made) -> None:
        """A backup was made and verified just now."""
        if self.source is not None and made.manifest.source == str(self.source.resolve()):
            self.set_last(made.manifest)

    def failed(self, exc: BaseException) -> None:
        """An automatic backup failed: red in the status bar, the reason in its tooltip."""
        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, StorageError):
            raise exc
        self.failure = f"The automatic backup failed: {exc}"
        self.show_age()

    # Automatic backups -------------------------------------------------------------------
    def start_automatic(self) -> None:
        """At start: back up if automatic backups are on and the last good one is over a day
        old (or there is none); on the worker, with a word in the status bar when done."""
        self.automatic_on_exit = self.settings.automatic and self.source is not None
        if not self.automatic_on_exit:
            self.refresh()
            return
        self._run_automatic(on_exit=False, on_done=self._said)

    def _said(self, made: Made | None) -> None:
        if made is not None and shiboken6.isValid(self.label):
            window = self.label.window()
            bar = getattr(window, "statusBar", None)
            if callable(bar):
                bar().showMessage(f"Backed up and verified: {made.path.name}", 10000)

    def _run_automatic(
        self,
        *,
        on_exit: bool,
        on_done: Callable[[Made | None], None],
        on_failure: Callable[[BaseException], None] | None = None,
        progress: ProgressRelay | None = None,
    ) -> None:
        source, folder = self.source, self.folder
        assert source is not None and folder is not None

        def run() -> tuple[Made | None, Manifest | None]:
            try:
                made = automatic_backup(
                    source,
                    folder,
                    now=clock.local_now(),
                    on_exit=on_exit,
                    progress=progress or (lambda *_a: True),
                )
            except Cancelled:  # "Skip" on closing: nothing was left behind
                made = None
            last = made.manifest if made else last_good_backup(folder, str(source.resolve()))
            return made, last

        def done(result: tuple[Made | None, Manifest | None]) -> None:
            made, last = result
            self.set_last(last)
            on_done(made)

        def failed(exc: BaseException) -> None:
            if on_failure is not None:
                on_failure(exc)
            else:
                self.failed(exc)

        self.ctx.tasks.run(run, on_success=done, on_failure=failed, export=True)

    def backup_on_exit(self, parent: QWidget, then: Callable[[], object]) -> bool:
        """On closing: start the exit backup with a short progress dialog and call ``then``
        when it is over (made, not needed, skipped or failed). False when there is none to
        make (then close at once)."""
        if not self.automatic_on_exit or self._exit_done or self.source is None:
            return False
        self._exit_done = True
        relay = ProgressRelay(self)
        dialog = QProgressDialog("Backing up before closing…", "Skip", 0, 100, parent)
        dialog.setWindowTitle("Provider Desk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(relay.cancel)

        def moved(done: int, total: int, what: str) -> None:
            dialog.setValue(done * 100 // max(total, 1))
            dialog.setLabelText(f"Backing up before closing: {what[:1].lower()}{what[1:]}")

        relay.moved.connect(moved)

        def finish(*_args: Any) -> None:
            dialog.reset()
            dialog.deleteLater()
            then()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StorageError):
                from ui.context import show_failure

                show_failure(parent, exc, "The backup on closing")
            finish()
            if not isinstance(exc, StorageError):
                raise exc

        self._run_automatic(on_exit=True, on_done=finish, on_failure=failed, progress=relay)
        return True
