"""The person record's parts: its tables as item models (the chronology, the contacts about the person,
relatives) and the way its tables and labels are made."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from mash_desk.domain.chronology import KIND_WORDS, EntryKind
from mash_desk.domain.enums import PersonKind
from mash_desk.gui.table_models import Cell, RowsModel
from mash_desk.gui.widgets import leave_on_tab
from mash_desk.gui.words import compact, day, enum_words, outcome_words, status_words, tr, when
from mash_desk.services.person_record import (
    ChronologyRow,
    ContactHistoryRow,
    RelativeRow,
)


def _moment(moment: datetime, now: datetime) -> Cell:
    return Cell(compact(moment, now), moment.timestamp(), tooltip=when(moment))


class ChronologyColumn(IntEnum):
    WHEN = 0
    KIND = 1
    CONTACT = 2
    AGENCY = 3
    WHO = 4
    WHAT = 5


class ChronologyModel(RowsModel[ChronologyRow]):
    columns = ChronologyColumn

    def header(self, column: int) -> str:
        return {
            ChronologyColumn.WHEN: self.tr("When"),
            ChronologyColumn.KIND: self.tr("What"),
            ChronologyColumn.CONTACT: self.tr("Contact"),
            ChronologyColumn.AGENCY: self.tr("Agency"),
            ChronologyColumn.WHO: self.tr("By"),
            ChronologyColumn.WHAT: self.tr("Entry"),
        }[ChronologyColumn(column)]

    def key(self, row: ChronologyRow) -> int:
        return int(row.at.timestamp())

    def cell(self, row: ChronologyRow, column: int, now: datetime) -> Cell:
        match ChronologyColumn(column):
            case ChronologyColumn.WHEN:
                return _moment(row.at, now)
            case ChronologyColumn.KIND:
                return Cell(tr(KIND_WORDS[row.kind]), bold=row.kind is EntryKind.CONTACT)
            case ChronologyColumn.CONTACT:
                return Cell(row.reference or tr("the person"))
            case ChronologyColumn.AGENCY:
                return Cell(row.agency)
            case ChronologyColumn.WHO:
                return Cell(row.who)
            case ChronologyColumn.WHAT:
                return Cell(row.what.replace("\n", " "), tooltip=row.what if len(row.what) > 60 else None)
        raise AssertionError(column)  # pragma: no cover - every column is handled above


class ContactColumn(IntEnum):
    REFERENCE = 0
    RECEIVED = 1
    NAMED_AS = 2
    CONCERNS = 3
    STATUS = 4
    OUTCOME = 5


class ContactsModel(RowsModel[ContactHistoryRow]):
    columns = ContactColumn

    def header(self, column: int) -> str:
        return {
            ContactColumn.REFERENCE: self.tr("Contact"),
            ContactColumn.RECEIVED: self.tr("Received"),
            ContactColumn.NAMED_AS: self.tr("Named as"),
            ContactColumn.CONCERNS: self.tr("Concerns"),
            ContactColumn.STATUS: self.tr("Where it is"),
            ContactColumn.OUTCOME: self.tr("Outcome"),
        }[ContactColumn(column)]

    def key(self, row: ContactHistoryRow) -> int:
        return row.contact_id

    def cell(self, row: ContactHistoryRow, column: int, now: datetime) -> Cell:
        match ContactColumn(column):
            case ContactColumn.REFERENCE:
                return Cell(row.reference, row.contact_id)
            case ContactColumn.RECEIVED:
                return _moment(row.received_at, now)
            case ContactColumn.NAMED_AS:
                return Cell(tr(row.role))
            case ContactColumn.CONCERNS:
                return Cell(", ".join(enum_words(c).lower() for c in row.concerns))
            case ContactColumn.STATUS:
                return Cell(status_words(row.status))
            case ContactColumn.OUTCOME:
                if row.outcome is None:
                    return Cell(tr("not decided") if row.role == "child" else "")
                level = tr("level {level}: ").format(level=row.level_of_need) if row.level_of_need else ""
                return Cell(level + outcome_words(row.outcome))
        raise AssertionError(column)  # pragma: no cover


class RelativeColumn(IntEnum):
    NAME = 0
    RELATIONSHIP = 1
    BORN = 2
    FLAGS = 3
    CONTACTS = 4


class RelativesModel(RowsModel[RelativeRow]):
    columns = RelativeColumn

    def header(self, column: int) -> str:
        return {
            RelativeColumn.NAME: self.tr("Name"),
            RelativeColumn.RELATIONSHIP: self.tr("Relationship"),
            RelativeColumn.BORN: self.tr("Born"),
            RelativeColumn.FLAGS: self.tr("What matters"),
            RelativeColumn.CONTACTS: self.tr("Contacts together"),
        }[RelativeColumn(column)]

    def key(self, row: RelativeRow) -> int:
        return row.person_id

    def cell(self, row: RelativeRow, column: int, now: datetime) -> Cell:
        del now
        match RelativeColumn(column):
            case RelativeColumn.NAME:
                return Cell(row.name, icon="linked", tooltip=tr("Enter opens their record"))
            case RelativeColumn.RELATIONSHIP:
                if row.sibling:
                    return Cell(tr("Sibling (named with them)"))
                if row.relationship is not None:
                    return Cell(enum_words(row.relationship))
                return Cell(tr("Named with them") if row.kind is PersonKind.CHILD else tr("Adult named with them"))
            case RelativeColumn.BORN:
                return Cell(day(row.date_of_birth) or tr("not known"))
            case RelativeColumn.FLAGS:
                flags = []
                if row.alleged_perpetrator:
                    flags.append(tr("ALLEGED PERPETRATOR"))
                if row.parental_responsibility:
                    flags.append(tr("parental responsibility"))
                if row.in_contact_with_child:
                    flags.append(tr("in contact with the child"))
                if row.alleged_perpetrator:
                    return Cell(", ".join(flags), icon="warning", bold=True)
                return Cell(", ".join(flags))
            case RelativeColumn.CONTACTS:
                return Cell(str(row.contacts), row.contacts)
        raise AssertionError(column)  # pragma: no cover


def record_table(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setAccessibleName(name.replace("_", " "))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    leave_on_tab(view)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def record_label(parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label
