"""Go to a contact by the reference read out over the phone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from mash_desk.gui.messages import ask_text


class GoToDialog:
    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        text = ask_text(
            parent,
            QCoreApplication.translate("GoToDialog", "Go to a contact"),
            QCoreApplication.translate("GoToDialog", "Contact &reference (for example MASH-0000123, or just 123):"),
        )
        cleaned = (text or "").strip()
        return cleaned or None
