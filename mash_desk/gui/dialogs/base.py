"""The shape every action dialog shares: a Designer form, a banner, messages at the fields, ``ask()``.

``ask(..., answer=..., errors=...)`` opens the dialog filled with what the person typed last time
and the service's messages shown at the fields, so a refused save never loses a word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.widgets import ctrl_enter_finishes

A = TypeVar("A")
MIN_WIDTH = 540


class FormDialog(QDialog, Generic[A]):
    """A dialog built from ``ui/<ui_name>`` whose ``answer()`` is what the person decided."""

    ui_name: str

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = load_form(self.ui_name, self)
        self.banner = need(self.form, QLabel, "banner")
        self.errors = FieldErrorDisplay(self.banner, self)
        self.buttons = need(self.form, QDialogButtonBox, "button_box")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self._answer: A | None = None
        self.setMinimumWidth(MIN_WIDTH)
        # Enter in a multi-line box starts a new line, so a dialog finished in one cost Tab and Enter:
        # Ctrl+Enter accepts from anywhere in the dialog (both Enter keys)
        ctrl_enter_finishes(self, self.try_accept)
        self.ok_button().setToolTip(self.tr("Ctrl+Enter from anywhere in the dialog"))

    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None, f"{self.ui_name} has no OK button"
        return button

    def set_ok_text(self, text: str) -> None:
        button = self.ok_button()
        button.setText(text)
        set_flag(button, "primary", True)

    def answer(self) -> A:
        """What the form says; raises ``InvalidInput`` for what can be checked without the database."""
        raise NotImplementedError

    def set_answer(self, answer: A) -> None:
        """Fill the form with an earlier answer (after a refused or failed save)."""
        raise NotImplementedError

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.errors.show(errors, summary=self.tr("Nothing was saved. Please correct what is marked."))

    def try_accept(self) -> None:
        try:
            self._answer = self.answer()
        except InvalidInput as exc:
            self.show_errors(exc.field_errors)
            return
        self.accept()

    def result_answer(self) -> A | None:
        return self._answer if self.result() == QDialog.DialogCode.Accepted else None

    def run(self, answer: A | None, errors: Mapping[str, str] | None) -> A | None:
        """Fill, show the errors, wait for the person; the answer, or None if they cancelled."""
        if answer is not None:
            self.set_answer(answer)
        if errors:
            self.show_errors(errors)
        self.exec()
        return self.result_answer()
