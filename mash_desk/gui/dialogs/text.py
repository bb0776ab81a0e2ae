"""A reason, a comment or a note: one dialog for every action that needs a few words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QWidget

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need


@dataclass(frozen=True)
class TextAnswer:
    text: str
    option: bool = False


class TextDialog(FormDialog[TextAnswer]):
    """``field`` is the service's name for the text (``reason``, ``comments``, ``text``)."""

    ui_name = "text_dialog.ui"

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        intro: str,
        caption: str,
        ok_text: str,
        field: str,
        required: bool,
        option: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._required = required
        self._field = field
        need(self.form, QLabel, "intro_label").setText(intro)
        caption_label = need(self.form, QLabel, "text_caption")
        caption_label.setText(caption)
        self.text_edit = need(self.form, QPlainTextEdit, "text_edit")
        self.text_edit.setAccessibleName(caption.replace("&", "").rstrip(":"))
        self.option_check = need(self.form, QCheckBox, "option_check")
        self.option_check.setText(option)
        self.option_check.setVisible(bool(option))
        self.errors.bind(field, self.text_edit)
        self.set_ok_text(ok_text)
        self.text_edit.setFocus()
        self.resize(520, 320)

    def answer(self) -> TextAnswer:
        text = self.text_edit.toPlainText().strip()
        if self._required and not text:
            raise InvalidInput.single(self._field, self.tr("Write something here before saving."))
        return TextAnswer(text, self.option_check.isChecked())

    def set_answer(self, answer: TextAnswer) -> None:
        self.text_edit.setPlainText(answer.text)
        self.option_check.setChecked(answer.option)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        intro: str,
        caption: str,
        ok_text: str,
        field: str,
        required: bool,
        option: str = "",
        answer: TextAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> TextAnswer | None:
        dialog = cls(
            parent,
            title=title,
            intro=intro,
            caption=caption,
            ok_text=ok_text,
            field=field,
            required=required,
            option=option,
        )
        return dialog.run(answer, errors)
