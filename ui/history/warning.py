"""What the app says about the change log's check: nothing when it is intact, a clear warning
(and a red note in the status bar that stays) when it is not."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from provider_desk.history.verify import ADVICE, LogCheck

WARNING_NOTE = "logCheckWarning"


def show_log_check(
    parent: QWidget, result: LogCheck, *, quiet_if_intact: bool
) -> QMessageBox | None:
    """Tell the user what the check found. A failed check gets a warning box (not blocking: the
    app stays usable) and a note in the main window's status bar; an intact log a short
    confirmation unless ``quiet_if_intact``."""
    if result.intact:
        if quiet_if_intact:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Change log",
            "\n".join(result.lines()),
            parent=parent,
        )
        box.open()
        return box
    window = parent.window()
    bar = window.findChild(QStatusBar) if window is not None else None
    if bar is not None and bar.findChild(QLabel, WARNING_NOTE) is None:
        note = QLabel("⚠ The change log failed its check", bar)
        note.setObjectName(WARNING_NOTE)
        note.setStyleSheet("color: #b00020; font-weight: bold;")
        note.setToolTip(result.problem)
        bar.addPermanentWidget(note)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The change log has been tampered with",
        result.problem,
        parent=parent,
    )
    box.setObjectName("logCheckBox")
    box.setInformativeText(ADVICE)
    box.open()
    return box
