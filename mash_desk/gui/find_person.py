"""Find a person, child or adult, whatever the spelling, and open their record (Enter or Ctrl+O).

One box takes a name, a date of birth and an NHS number in any order; the search is the intake's
own (``services.search.find_people``), shown in the same list of possible records.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.person_editors import parse_day
from mash_desk.gui.person_matches import OPEN_SHORTCUT, MatchesPanel, attach_link_shortcut
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.search import PersonQuery

_NHS = re.compile(r"^\d{3}\s?\d{3}\s?\d{4}$")
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b")


def person_query(text: str) -> PersonQuery | None:
    """What was typed, as a search: "Amira Hussain 04/05/2019", "943 476 5919"; None if too little."""
    typed = text.strip()
    if _NHS.match(typed):
        return PersonQuery(nhs_number=typed, kind=None)
    born = None
    found = _DATE.search(typed)
    if found:
        try:
            born = parse_day(found.group())
        except ValueError:
            born = None
        typed = (typed[: found.start()] + typed[found.end() :]).strip()
    words = typed.split()
    if not words and born is None:
        return None
    if len("".join(words)) < 2 and born is None:
        return None
    given = " ".join(words[:-1]) if len(words) > 1 else ""
    family = words[-1] if words else ""
    return PersonQuery(given_names=given, family_name=family, date_of_birth=born, kind=None)


class FindPersonDialog(QDialog):
    def __init__(self, window: WindowContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.setWindowTitle(tr("Find a person"))
        self.chosen: int | None = None
        layout = QVBoxLayout(self)
        caption = QLabel(tr("&Name, date of birth or NHS number:"), self)
        layout.addWidget(caption)
        self.query_edit = QLineEdit(self)
        self.query_edit.setObjectName("find_person_query")
        self.query_edit.setPlaceholderText(tr("Amira Hussain 04/05/2019"))
        caption.setBuddy(self.query_edit)
        layout.addWidget(self.query_edit)
        self.matches = MatchesPanel(window, self)
        self.matches.title_label.setText(tr("People who may be the one you mean"))
        self.matches.link_button.hide()  # here a match is opened, never linked
        layout.addWidget(self.matches, 1)
        hint = QLabel(
            tr("Down to the list, then Enter or {key} opens the record in a tab of its own.").format(
                key=shortcut_text(OPEN_SHORTCUT)
            ),
            self,
        )
        hint.setProperty("muted", True)
        layout.addWidget(hint)
        attach_link_shortcut(self.matches, self)
        self.matches.link_requested.connect(lambda match: self._choose(match.person_id))
        self.matches.open_requested.connect(self._choose)
        self.query_edit.textChanged.connect(self._typed)
        self.query_edit.returnPressed.connect(self._enter)
        self.resize(820, 480)

    def _typed(self, text: str) -> None:
        self.matches.search_later(person_query(text), text.strip())

    def _enter(self) -> None:
        """Enter in the box: search now, and go to the list to choose."""
        self.matches.search_now()
        self.matches.view.setFocus()

    def _choose(self, person_id: int) -> None:
        self.chosen = person_id
        self.matches.stop()
        self.accept()

    def reject(self) -> None:
        self.matches.stop()
        super().reject()

    @classmethod
    def ask(cls, window: WindowContext, parent: QWidget | None) -> int | None:
        """The person id chosen, or None if the reader closed the search."""
        dialog = cls(window, parent)
        dialog.exec()
        return dialog.chosen
