"""How the window words the core's codes and times for people.

The core returns enums, codes and UTC datetimes; everything a person reads is made here, at the
moment it is shown (never at import), through Qt's translator.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

from PySide6.QtCore import QCoreApplication

from mash_desk.domain import words
from mash_desk.domain.cin import UPN_UNKNOWN_REASONS
from mash_desk.domain.enums import ContactStatus, Outcome, OverrideBasis, ParentsAware, Rag, Role
from mash_desk.domain.timescales import LONDON

CONTEXT = "Words"
DUE_SOON = timedelta(hours=1)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# The words themselves live in ``domain.words`` (the command line and the PDFs use them too); the
# window only translates them.


def enum_words(value: Enum) -> str:
    """A code as a phrase: ``HousingTenure.TEMPORARY`` → "Temporary accommodation"."""
    return tr(words.code_words(value))


def code_words(code: str) -> str:
    """A stored code that is not an enum (an agency's, say) as a phrase: "DA_SERVICE" → "Domestic abuse service"."""
    return tr(words.code_words(code))


def role_words(role: Role, *, team: str | None = None, agency: str | None = None) -> str:
    """Who someone is at work: "partner agency, Bedfordshire Police", "team manager, MASH Team"."""
    return ", ".join(part for part in (tr(words.role_words(role)), agency, team) if part)


def at_work(name: str, job_title: str | None, role: Role, agency: str | None, team: str | None) -> str:
    """Who someone is, in one line: "Dan Jones · Police officer, Bedfordshire Police"; their role
    ("Team manager") when they have no job title."""
    job = job_title or tr(words.role_words(role))
    return words.person_at_work(name, job[:1].upper() + job[1:], agency, team)


def status_words(status: ContactStatus) -> str:
    return tr(words.status_words(status))


def rag_words(rag: Rag | None) -> str:
    return tr(words.rag_words(rag))


def referral_source_words(code: str) -> str:
    """Who the contact came from ("Police"); the CIN census code is for tooltips and exports."""
    return tr(words.referral_source_words(code))


def referral_source_tip(code: str) -> str:
    return tr("CIN census referral source {code}").format(code=code)


def agency_code_tip(code: str) -> str:
    """An agency's code, for a tooltip: the command line and the data take it, people read the name."""
    return tr("Agency code {code}").format(code=code)


def primary_need_words(code: str) -> str:
    return tr(words.primary_need_words(code))


def primary_need_tip(code: str) -> str:
    return tr("CIN census primary need {code}").format(code=code)


def outcome_words(outcome: Outcome) -> str:
    return tr(words.outcome_words(outcome))


def level_words(level: int) -> str:
    return tr(words.level_words(level))


def override_basis_words(basis: OverrideBasis) -> str:
    return tr(words.override_basis_words(basis))


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return tr("{d}d {h}h").format(d=days, h=hours)
    if hours:
        return tr("{h}h {m}m").format(h=hours, m=minutes)
    return tr("{m}m").format(m=minutes)


def is_overdue(due: datetime, now: datetime) -> bool:
    return due < now


def is_due_soon(due: datetime, now: datetime) -> bool:
    return now <= due < now + DUE_SOON


def time_left_words(due: datetime, now: datetime) -> str:
    """A countdown people cannot misread: "3h 12m left", or "OVERDUE 3h 12m" in capitals."""
    if due < now:
        return tr("OVERDUE {span}").format(span=_span(now - due))
    left = due - now
    if left < timedelta(minutes=1):
        return tr("due now")
    return tr("{span} left").format(span=_span(left))


def when(moment: datetime | None) -> str:
    """A moment on the London wall clock, the way a MASH reads it: "Tue 10 Mar 2026 10:00"."""
    if moment is None:
        return ""
    return moment.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")


def short_when(moment: datetime | None, now: datetime | None = None) -> str:
    """Time only for today, date and time otherwise."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    if now is not None and local.date() == now.astimezone(LONDON).date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")


def compact(moment: datetime | None, now: datetime) -> str:
    """A moment for a table cell: "26 Nov 14:05", with the year only when it is not this year."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    if local.year == now.astimezone(LONDON).year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%d %b %Y %H:%M")


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def upn_unknown_words(code: str | None) -> str:
    """Why there is no UPN, in words ("not known — educated outside England"), or just "not known"."""
    reason = UPN_UNKNOWN_REASONS.get(code or "")
    return tr("not known — {reason}").format(reason=reason[0].lower() + reason[1:]) if reason else tr("not known")


def yes_no(value: bool | None) -> str:
    if value is None:
        return tr("not known")
    return tr("yes") if value else tr("no")


def parents_aware_words(answer: ParentsAware | None) -> str:
    """Whether the parents or carers know of a contact (None: a contact logged before it was asked)."""
    if answer is None:
        return tr("not recorded")
    return {
        ParentsAware.YES: tr("Yes, they know"),
        ParentsAware.NO: tr("No"),
        ParentsAware.NOT_KNOWN: tr("Not known"),
    }[answer]
