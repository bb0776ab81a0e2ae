"""Break the glass: a manager has restricted this record; say why you need it, knowing managers will see."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from mash_desk.domain.sharing import GLASS_BREAK_HOURS
from mash_desk.gui.dialogs.text import TextAnswer, TextDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.forms import need
from mash_desk.gui.words import tr, when
from mash_desk.services.restrictions import CONTACT, MIN_REASON


def record_words(kind: str) -> str:
    return tr("contact") if kind == CONTACT else tr("person's record")


class BreakGlassDialog(TextDialog):
    """Says plainly who restricted the record and when, that opening it is recorded and shown to
    managers, and asks why; the service checks the reason and its message shows at the field."""

    def __init__(self, parent: QWidget | None, *, kind: str, restricted_by: str, restricted_at: datetime) -> None:
        what = record_words(kind)
        super().__init__(
            parent,
            title=tr("Restricted {what}").format(what=what),
            intro=tr(
                "<b>This {what} is restricted.</b><br>Restricted by {who} on {at}.<br><br>"
                "You can open it only by breaking the glass. Your name, the time and your reason are recorded "
                "and shown to managers. It then stays open to you for {hours} hours."
            ).format(what=what, who=escape(restricted_by), at=when(restricted_at), hours=GLASS_BREAK_HOURS),
            caption=tr("&Why do you need to open it? (at least {n} characters)").format(n=MIN_REASON),
            ok_text=tr("Break the glass and open"),
            field="reason",
            required=False,  # the service says what a reason needs, at the field
        )
        self.setObjectName("break_glass_dialog")
        self.intro_label = need(self.form, QLabel, "intro_label")
        self.intro_label.setTextFormat(Qt.TextFormat.RichText)
        set_flag(self.intro_label, "banner", "warning")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(tr("Cancel"))
            cancel.setToolTip(tr("Do not open it; nothing is recorded (Esc)"))
        self.resize(560, 360)

    @classmethod
    def ask(  # type: ignore[override]  # a different question from TextDialog's
        cls,
        parent: QWidget | None,
        *,
        kind: str,
        restricted_by: str,
        restricted_at: datetime,
        answer: TextAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> TextAnswer | None:
        dialog = cls(parent, kind=kind, restricted_by=restricted_by, restricted_at=restricted_at)
        return dialog.run(answer, errors)
