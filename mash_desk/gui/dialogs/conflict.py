"""Someone else saved first: their version and yours side by side, and what to do about it."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from itertools import pairwise

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mash_desk.gui.widgets import ctrl_enter_finishes, fill_table, leave_on_tab
from mash_desk.gui.words import when


class ConflictChoice(Enum):
    APPLY_MINE = "apply_mine"
    EDIT_MINE = "edit_mine"
    KEEP_THEIRS = "keep_theirs"


class ConflictDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        reference: str,
        changed_by: str | None,
        changed_at: datetime | None,
        theirs: dict[str, str],
        yours: dict[str, str],
    ) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.setWindowTitle(self.tr("{reference} was changed by someone else").format(reference=reference))
        self.choice = ConflictChoice.KEEP_THEIRS
        layout = QVBoxLayout(self)
        who = changed_by or self.tr("Someone else")
        intro = QLabel(
            self.tr(
                "{who} saved {reference} at {at}, after you opened it. Nothing was overwritten. "
                "Here is the contact as it is now, beside the change you tried to make."
            ).format(who=who, reference=reference, at=when(changed_at) or self.tr("a moment ago")),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = leave_on_tab(QTableWidget(self))
        self.table.setAccessibleName(self.tr("Their version and yours"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        rows = [
            [key, theirs.get(key, "—"), yours.get(key, "—")]
            for key in [*theirs, *(k for k in yours if k not in theirs)]
        ]
        fill_table(
            self.table,
            [self.tr("What"), self.tr("Now (saved by {who})").format(who=who), self.tr("Your change (not saved)")],
            rows,
        )
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        apply = buttons.addButton(self.tr("&Save my change on top of theirs"), QDialogButtonBox.ButtonRole.AcceptRole)
        apply.setAutoDefault(False)
        apply.clicked.connect(lambda: self._choose(ConflictChoice.APPLY_MINE))
        edit = buttons.addButton(self.tr("&Edit my change first"), QDialogButtonBox.ButtonRole.ActionRole)
        # Enter looks at both again: writing over someone's change must be a deliberate choice
        edit.setProperty("primary", True)
        edit.setDefault(True)
        edit.clicked.connect(lambda: self._choose(ConflictChoice.EDIT_MINE))
        keep = buttons.addButton(self.tr("&Keep theirs, drop mine"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_THEIRS))
        layout.addWidget(buttons)
        # the button box's own order let Tab skip one of them: every choice is one Tab further
        for first, second in pairwise([self.table, edit, apply, keep]):
            QWidget.setTabOrder(first, second)
        self.resize(720, 360)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        reference: str,
        changed_by: str | None,
        changed_at: datetime | None,
        theirs: dict[str, str],
        yours: dict[str, str],
    ) -> ConflictChoice:
        dialog = cls(
            parent, reference=reference, changed_by=changed_by, changed_at=changed_at, theirs=theirs, yours=yours
        )
        dialog.exec()
        return dialog.choice
