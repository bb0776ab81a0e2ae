"""Every message box in one module: errors of normal life, the crash dialog for bugs, confirmations.

Each is behind a ``classmethod ask()`` that tests replace. Errors follow calibre: a short sentence
first, details underneath on request, and a button that copies them for the service desk.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from enum import Enum
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.logs import current_log_file

log = logging.getLogger(__name__)


class ErrorChoice(Enum):
    CLOSE = "close"
    RETRY = "retry"
    COMPARE = "compare"
    EDIT = "edit"


class ErrorDialog(QDialog):
    """Something went wrong that a person can act on; says what, and offers what can be done next."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        message: str,
        *,
        details: str = "",
        retry: bool = False,
        compare: bool = False,
        edit: bool = False,
        critical: bool = False,
    ) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.setWindowTitle(title)
        self.choice = ErrorChoice.CLOSE
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel(self)
        kind = QStyle.StandardPixmap.SP_MessageBoxCritical if critical else QStyle.StandardPixmap.SP_MessageBoxWarning
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(kind).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        self.message_label = QLabel(message, self)
        self.message_label.setObjectName("message")
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message_label.setMinimumWidth(380)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.message_label, 1)
        layout.addLayout(top)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Details"))
        self.details.setVisible(False)
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(self)
        if details:
            show = buttons.addButton(self.tr("Show &details"), QDialogButtonBox.ButtonRole.ActionRole)
            show.setCheckable(True)
            show.toggled.connect(self.details.setVisible)
            copy = buttons.addButton(self.tr("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
            copy.clicked.connect(self._copy)
        if compare:
            self._add(buttons, self.tr("&Compare with their change"), ErrorChoice.COMPARE, primary=True)
        if retry:
            self._add(buttons, self.tr("&Retry"), ErrorChoice.RETRY, primary=not compare)
        if edit:
            self._add(buttons, self.tr("&Back to my changes"), ErrorChoice.EDIT)
        close = buttons.addButton(
            self.tr("Cancel") if (retry or edit) else self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        close.clicked.connect(self.reject)
        if not (retry or compare):
            close.setDefault(True)
        layout.addWidget(buttons)

    def _add(self, buttons: QDialogButtonBox, text: str, choice: ErrorChoice, *, primary: bool = False) -> None:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.clicked.connect(lambda: self._choose(choice))
        if primary:
            button.setDefault(True)
            set_flag(button, "primary", True)

    def _choose(self, choice: ErrorChoice) -> None:
        self.choice = choice
        self.accept()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message_label.text()}\n\n{self.details.toPlainText()}")

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        message: str,
        *,
        details: str = "",
        retry: bool = False,
        compare: bool = False,
        edit: bool = False,
    ) -> ErrorChoice:
        dialog = cls(parent, title, message, details=details, retry=retry, compare=compare, edit=edit)
        dialog.exec()
        return dialog.choice


class CrashDialog(ErrorDialog):
    """A bug: nothing the person did wrong. Says so, keeps working, and offers the details to copy."""

    @classmethod
    def for_bug(cls, parent: QWidget | None, details: str) -> CrashDialog:
        """The dialog for one bug, naming the log file the details are also written to."""
        # what a person needs first is whether their work is lost; the traceback is for the service desk
        message = QCoreApplication.translate(
            "CrashDialog",
            "Your work is safe. What you saved is saved, forms you were typing are still open, and the intake "
            "form keeps a draft: carry on where you were.\n\n"
            "Something went wrong inside MASH Desk. This is a fault in the program, not something you did. "
            "Please send the details to the service desk: Copy details, then paste them into your message.",
        )
        log_file = current_log_file()
        if log_file is not None:
            message += "\n\n" + QCoreApplication.translate(
                "CrashDialog", "The details are also in MASH Desk's log file: {path}"
            ).format(path=log_file)
        return cls(
            parent,
            QCoreApplication.translate("CrashDialog", "MASH Desk hit a problem"),
            message,
            details=details,
            critical=True,
        )

    @classmethod
    def report(cls, parent: QWidget | None, details: str) -> None:
        cls.for_bug(parent, details).exec()


class ConfirmDialog:
    """A yes/no question with the action named on the button."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, *, ok_text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(ok)
        ctrl_enter_finishes(box)
        box.exec()
        return box.clickedButton() is ok


class Notice:
    """A plain message with one button (something finished, or a rule explained)."""

    @classmethod
    def show(cls, parent: QWidget | None, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        ctrl_enter_finishes(box)
        box.exec()


def _input_dialog(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    ctrl_enter_finishes(dialog)
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text (Enter or Ctrl+Enter accepts), or None if cancelled."""
    dialog = _input_dialog(parent, title, label)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """The index of one of ``items`` (the first is chosen to start with), or None if cancelled."""
    dialog = _input_dialog(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.textValue()
    return items.index(chosen) if chosen in items else None


def install_crash_handler(app: QApplication) -> Callable[[], None]:
    """Bugs go to the log (``mash_desk.logs``, set up at program start) and the crash dialog; the window
    keeps running. Returns how to undo it."""
    previous = sys.excepthook

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error\n%s", details)
        CrashDialog.report(app.activeWindow(), details)

    def uninstall() -> None:
        sys.excepthook = previous

    sys.excepthook = handle
    return uninstall


def shortcut_text(sequence: QKeySequence | QKeySequence.StandardKey | str) -> str:
    """A shortcut as this platform writes it, for button texts and tooltips."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def with_shortcut(button: QPushButton, text: str, sequence: str) -> None:
    """A button whose text and tooltip both show its keyboard shortcut."""
    button.setText(f"{text} ({shortcut_text(sequence)})")
    button.setToolTip(f"{text.replace('&', '')} — {shortcut_text(sequence)}")
