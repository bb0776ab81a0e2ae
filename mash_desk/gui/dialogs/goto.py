"""Go to a contact by the reference read out over the phone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


class GoToDialog:
    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        text, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("GoToDialog", "Go to a contact"),
            QCoreApplication.translate("GoToDialog", "Contact &reference (for example MASH-0000123, or just 123):"),
            QLineEdit.EchoMode.Normal,
        )
        cleaned = text.strip()
        return cleaned if ok and cleaned else None
