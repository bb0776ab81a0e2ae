"""The administrator's lists as table models: users, teams, agencies and the timescale policy, each read
whole by one service call (they are short: a hub has hundreds of users at most)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from mash_desk.domain.enums import ClockKind, TeamKind, TimescaleKey
from mash_desk.domain.words import counted
from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.table_models import Cell
from mash_desk.gui.words import agency_code_tip, enum_words, tr
from mash_desk.services.admin import UserRow
from mash_desk.services.policy import PolicyRow

AgencyItem = tuple[str, str]
TeamItem = tuple[int, str, TeamKind]


def timescale_words(key: TimescaleKey) -> str:
    return {
        TimescaleKey.RED: tr("RED: screening and rating"),
        TimescaleKey.AMBER: tr("AMBER: screening and rating"),
        TimescaleKey.GREEN: tr("GREEN: screening and rating"),
        TimescaleKey.DECISION: tr("Threshold decision (statutory)"),
        TimescaleKey.HANDOFF_ACCEPTANCE: tr("Hand-off accepted by the receiving team"),
        TimescaleKey.ACKNOWLEDGEMENT: tr("Acknowledgement to the referrer"),
        TimescaleKey.SUPERVISION: tr("Case supervision for each practitioner (how often)"),
    }.get(key, enum_words(key))


def amount_words(amount: int, clock: ClockKind | str) -> str:
    kind = ClockKind(clock)
    singular, plural = {
        ClockKind.CLOCK_HOURS: (tr("clock hour"), tr("clock hours")),
        ClockKind.WORKING_HOURS: (tr("working hour"), tr("working hours")),
        ClockKind.WORKING_DAYS: (tr("working day"), tr("working days")),
    }[kind]
    return counted(amount, singular, plural)


class AgencyColumn(IntEnum):
    NAME = 0


class AgencyListModel(LoadedListModel[AgencyItem]):
    columns = AgencyColumn

    def header(self, column: int) -> str:
        return {AgencyColumn.NAME: self.tr("Agency")}[AgencyColumn(column)]

    def key(self, row: AgencyItem) -> int:
        return self.rows().index(row)

    def cell(self, row: AgencyItem, column: int, now: datetime) -> Cell:
        # the code is what the command line and the data take; people read the name
        code, name = row
        return Cell(name, tooltip=agency_code_tip(code))


class TeamColumn(IntEnum):
    NAME = 0
    KIND = 1


class TeamListModel(LoadedListModel[TeamItem]):
    columns = TeamColumn

    def header(self, column: int) -> str:
        return {TeamColumn.NAME: self.tr("Team"), TeamColumn.KIND: self.tr("Kind")}[TeamColumn(column)]

    def key(self, row: TeamItem) -> int:
        return row[0]

    def cell(self, row: TeamItem, column: int, now: datetime) -> Cell:
        _id, name, kind = row
        return Cell(name if column == TeamColumn.NAME else enum_words(TeamKind(kind)))


class PolicyColumn(IntEnum):
    TIMESCALE = 0
    ALLOWED = 1


class PolicyModel(LoadedListModel[PolicyRow]):
    columns = PolicyColumn

    def header(self, column: int) -> str:
        return {PolicyColumn.TIMESCALE: self.tr("Timescale"), PolicyColumn.ALLOWED: self.tr("Time allowed")}[
            PolicyColumn(column)
        ]

    def key(self, row: PolicyRow) -> int:
        return list(TimescaleKey).index(TimescaleKey(row.key))

    def cell(self, row: PolicyRow, column: int, now: datetime) -> Cell:
        if column == PolicyColumn.TIMESCALE:
            return Cell(timescale_words(TimescaleKey(row.key)), self.key(row))
        return Cell(amount_words(row.amount, row.clock))


class UserColumn(IntEnum):
    NAME = 0
    LOGIN = 1
    JOB = 2
    TEAM = 3
    AGENCY = 4
    ACTIVE = 5


class UserListModel(LoadedListModel[UserRow]):
    columns = UserColumn

    def header(self, column: int) -> str:
        return {
            UserColumn.NAME: self.tr("Name"),
            UserColumn.LOGIN: self.tr("Login"),
            UserColumn.JOB: self.tr("Job"),
            UserColumn.TEAM: self.tr("Team"),
            UserColumn.AGENCY: self.tr("Agency"),
            UserColumn.ACTIVE: self.tr("Can sign in"),
        }[UserColumn(column)]

    def key(self, row: UserRow) -> int:
        return row.id

    def cell(self, row: UserRow, column: int, now: datetime) -> Cell:
        match UserColumn(column):
            case UserColumn.NAME:
                return Cell(row.display_name)
            case UserColumn.LOGIN:
                return Cell(row.username)
            case UserColumn.JOB:
                return Cell(enum_words(row.role))
            case UserColumn.TEAM:
                return Cell(row.team or "")
            case UserColumn.AGENCY:
                return Cell(row.agency_name, tooltip=agency_code_tip(row.agency_code))
            case UserColumn.ACTIVE:
                if row.active:
                    return Cell(tr("yes"), 0)
                return Cell(tr("No — switched off"), 1, bold=True, colours=("overdue_bg", "overdue_text"))
