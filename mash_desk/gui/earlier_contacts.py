"""Under the re-referral banner: which child was named in which earlier contact, each a button that
opens that contact (Tab reaches them; Enter or Space opens)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from mash_desk.gui.signals import emit
from mash_desk.gui.words import day, tr
from mash_desk.services.re_referrals import EarlierContact


class EarlierContactsRow(QWidget):
    open_requested = Signal(int)
    """Emitted with the id of the earlier contact to open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("earlier_contacts_row")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._layout = layout
        self.caption = QLabel(tr("Named before:"), self)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_contacts(self, earlier: list[EarlierContact]) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for position, found in enumerate(earlier):
            text = tr("{child} — {reference}, received {day}").format(
                child=found.child, reference=found.reference, day=day(found.received_at.date())
            )
            button = QPushButton(text, self)
            button.setToolTip(tr("Open {reference}").format(reference=found.reference))
            button.clicked.connect(
                lambda _checked=False, contact_id=found.contact_id: emit(self.open_requested, contact_id)
            )
            self._layout.insertWidget(1 + position, button)
            self.buttons.append(button)
        self.setVisible(bool(earlier))
