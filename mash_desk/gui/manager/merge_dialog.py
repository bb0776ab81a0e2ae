"""Merging two records of one person: both side by side, which to keep, and why.

The safe choice is the default: Enter cancels, and "Merge records" must be chosen on purpose (Tab to
it, or Alt+M). Nothing is deleted and a merge can be undone, but a wrong merge puts one child's
history under another's name until someone notices, so it is never the easy key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.forms import need
from mash_desk.gui.words import day, enum_words, tr
from mash_desk.services.merging import PersonSide


@dataclass(frozen=True)
class MergeAnswer:
    kept_id: int
    merged_id: int
    reason: str


def side_rows(side: PersonSide) -> list[tuple[str, str]]:
    """What a manager compares, in the order they read it."""
    return [
        (tr("Name"), side.name),
        (tr("Record"), tr("{kind}, number {id}").format(kind=enum_words(side.kind), id=side.person_id)),
        (tr("Date of birth"), day(side.date_of_birth) if side.date_of_birth else tr("not known")),
        (tr("NHS number"), side.nhs_number or tr("not recorded")),
        (tr("UPN"), side.upn or tr("not recorded")),
        (tr("First language"), side.first_language or tr("not recorded")),
        (tr("Postcode"), side.postcode or tr("not recorded")),
        (tr("Also known as"), ", ".join(side.aliases) if side.aliases else tr("no other names")),
        (tr("Contacts"), str(side.contacts)),
        (tr("Last contact"), day(side.last_contact_at.date()) if side.last_contact_at else tr("none")),
        (tr("Recorded since"), day(side.created_at.date())),
    ]


class MergeDialog(FormDialog[MergeAnswer]):
    """The two records, the one to keep (the first, by default: usually the older), and the reason."""

    ui_name = "merge_dialog.ui"

    def __init__(self, parent: QWidget | None, first: PersonSide, second: PersonSide) -> None:
        super().__init__(parent)
        self.first, self.second = first, second
        self.setWindowTitle(tr("Merge two records of one person"))
        need(self.form, QLabel, "intro_label").setText(
            tr(
                "If these are two records of one person, merge them: the record you keep gets every contact, "
                "relationship, household and assessment of the other, and search finds it by both names. "
                "Nothing is deleted, the merge is recorded with your reason, and a manager can undo it."
            )
        )
        compare = need(self.form, QGroupBox, "compare_box")
        compare.setTitle(tr("The two records"))
        grid = need(self.form, QGridLayout, "compare_grid")
        self.differences: list[str] = []
        for column, heading in ((1, tr("First record")), (2, tr("Second record"))):
            label = QLabel(f"<b>{heading}</b>", compare)
            grid.addWidget(label, 0, column)
        for row, ((caption, left), (_same, right)) in enumerate(
            zip(side_rows(first), side_rows(second), strict=True), start=1
        ):
            # the details that say who a person is; a record's own number, history and age always differ
            differ = left != right and caption not in (
                tr("Record"),
                tr("Contacts"),
                tr("Last contact"),
                tr("Recorded since"),
            )
            grid.addWidget(QLabel(caption, compare), row, 0)
            for column, text in ((1, left), (2, right)):
                value = QLabel(text, compare)
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if differ:
                    # the difference is said in words too, never by weight or colour alone
                    value.setText(f"<b>{text}</b>")
                    value.setToolTip(tr("The two records differ here."))
                grid.addWidget(value, row, column)
            if differ:
                self.differences.append(caption)
        note = QLabel(
            tr("They differ in: {fields}.").format(fields=", ".join(self.differences))
            if self.differences
            else tr("They agree in every detail shown."),
            compare,
        )
        note.setWordWrap(True)
        grid.addWidget(note, len(side_rows(first)) + 1, 0, 1, 3)
        keep = need(self.form, QGroupBox, "keep_box")
        keep.setTitle(tr("Which record to keep"))
        self.keep_first = need(self.form, QRadioButton, "keep_first")
        self.keep_second = need(self.form, QRadioButton, "keep_second")
        self.keep_first.setText(
            tr("Keep the &first record ({name}, number {id})").format(name=first.name, id=first.person_id)
        )
        self.keep_second.setText(
            tr("Keep the &second record ({name}, number {id})").format(name=second.name, id=second.person_id)
        )
        self.keep_first.setChecked(True)
        need(self.form, QLabel, "reason_caption").setText(
            tr("&Why are these one person? (required: it is recorded and shown with the merge)")
        )
        self.reason_edit = need(self.form, QPlainTextEdit, "reason_edit")
        self.reason_edit.setAccessibleName(tr("Why these are one person"))
        self.reason_edit.setPlaceholderText(tr("For example: same school and GP; the mother confirmed the spelling."))
        self.errors.bind("reason", self.reason_edit)
        self.errors.bind("merge", keep)
        ok = self.ok_button()
        ok.setText(tr("&Merge records"))  # not marked primary: the safe choice, Cancel, is the default
        ok.setAutoDefault(False)
        ok.setDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setDefault(True)
        self.cancel_button = cancel
        self.reason_edit.setFocus()
        self.resize(720, 620)

    def answer(self) -> MergeAnswer:
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            raise InvalidInput.single("reason", self.tr("Say why these two records are one person."))
        kept, merged = (self.first, self.second) if self.keep_first.isChecked() else (self.second, self.first)
        return MergeAnswer(kept.person_id, merged.person_id, reason)

    def set_answer(self, answer: MergeAnswer) -> None:
        self.reason_edit.setPlainText(answer.reason)
        (self.keep_first if answer.kept_id == self.first.person_id else self.keep_second).setChecked(True)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        first: PersonSide,
        second: PersonSide,
        *,
        answer: MergeAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> MergeAnswer | None:
        return cls(parent, first, second).run(answer, errors)
