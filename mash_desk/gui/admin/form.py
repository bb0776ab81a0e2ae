"""A titled administration form: fields in rows, each wrong field's message under it, and buttons that run
one service call on a worker.

What the person typed stays in the fields whatever happens; a refusal shows at the fields it names (or
in the form's banner), and nothing is changed by a call that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.signals import emit
from mash_desk.gui.tasks import TaskRunner

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


class AdminForm(QGroupBox):
    """One thing an administrator changes: a title, its fields, its buttons and its messages."""

    done = Signal(str)
    """Emitted with a sentence saying what was changed, once a call has succeeded."""

    def __init__(self, title: str, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._runner = runner
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.hide()
        layout.addWidget(self.intro)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        self.rows = QFormLayout()
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.rows)
        self.errors = FieldErrorDisplay(self.banner, self)
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        layout.addLayout(self.button_row)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        set_flag(self.outcome, "banner", "info")
        self.outcome.hide()
        layout.addWidget(self.outcome)
        self.buttons: list[QPushButton] = []
        self.busy = False

    def explain(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def field(self, key: str, caption: str, widget: W) -> W:
        """Add a row: ``caption`` (with its &-mnemonic focusing ``widget``); messages for ``key`` go under it."""
        label = QLabel(caption, self)
        label.setBuddy(widget)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        widget.setAccessibleName(caption.replace("&", "").rstrip(":"))
        if isinstance(widget, QPlainTextEdit):
            widget.setTabChangesFocus(True)
        self.rows.addRow(label, widget)
        self.errors.bind(key, widget)
        return widget

    def button(self, text: str, slot: Callable[[], object], *, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(lambda _checked=False: slot())
        if primary:
            set_flag(button, "primary", True)
        self.button_row.addWidget(button)
        self.buttons.append(button)
        return button

    # --- running ---------------------------------------------------------------------------------

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object],
        *,
        label: str,
        on_refused: Callable[[], object] | None = None,
    ) -> None:
        """Clear the messages, run ``work`` on a worker, then ``on_done`` or show what was refused."""
        if self.busy:
            return
        self.errors.clear()
        self.outcome.hide()
        self._set_busy(True)

        def finished(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(exc: MashDeskError) -> None:
            self.refused(exc)
            if on_refused is not None:
                on_refused()

        self._runner.run(work, finished, failed, owner=self, label=label)

    def refused(self, exc: MashDeskError) -> None:
        self._set_busy(False)
        if isinstance(exc, InvalidInput):
            self.fail(exc.field_errors)
        else:
            self.fail({}, summary=str(exc))

    def fail(self, errors: Mapping[str, str], *, summary: str = "") -> None:
        """Show messages at their fields (and the rest in the banner); focus goes to the first bad field."""
        self.outcome.hide()
        self.errors.show(errors, summary=summary)

    def succeeded(self, sentence: str) -> None:
        self.errors.clear()
        self.outcome.setText(f"✓ {sentence}")
        self.outcome.show()
        emit(self.done, sentence)

    def message_at(self, key: str) -> str | None:
        return self.errors.message_at(key)

    def banner_text(self) -> str:
        return self.errors.banner_text()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.buttons:
            button.setEnabled(not busy)
