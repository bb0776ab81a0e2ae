"""How the window words the core's codes and times for people.

The core returns enums, codes and UTC datetimes; everything a person reads is made here, at the
moment it is shown (never at import), through Qt's translator.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

from PySide6.QtCore import QCoreApplication

from mash_desk.domain.cin import PRIMARY_NEEDS, REFERRAL_SOURCES, UPN_UNKNOWN_REASONS
from mash_desk.domain.enums import ContactStatus, LevelOfNeed, Outcome, OverrideBasis, ParentsAware, Rag, Role
from mash_desk.domain.lifecycle import STATUS_WORDS
from mash_desk.domain.thresholds import LEVEL_WORDS, OUTCOME_WORDS
from mash_desk.domain.timescales import LONDON

CONTEXT = "Words"
DUE_SOON = timedelta(hours=1)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


SPECIAL_WORDS = {
    "fgm": "FGM (female genital mutilation)",
    "uk_gdpr_6_1_e_9_2_g_dpa_sch1_p18": "UK GDPR public task / safeguarding",
}


def enum_words(value: Enum) -> str:
    """A code as a phrase: ``HousingTenure.TEMPORARY`` → "Temporary accommodation"."""
    special = SPECIAL_WORDS.get(str(value.value))
    if special is not None:
        return tr(special)
    words = str(value.value).replace("_", " ").strip()
    return tr(words[:1].upper() + words[1:])


ROLE_WORDS = {
    Role.PRACTITIONER: "practitioner",
    Role.AGENCY: "partner agency",
    Role.MANAGER: "team manager",
    Role.BUSINESS_SUPPORT: "business support",
    Role.ADMIN: "administrator",
    Role.AUDITOR: "auditor",
}


def role_words(role: Role, *, team: str | None = None, agency: str | None = None) -> str:
    """Who someone is at work: "partner agency, Bedfordshire Police", "team manager, MASH Team"."""
    words = tr(ROLE_WORDS[role])
    return ", ".join(part for part in (words, agency, team) if part)


def status_words(status: ContactStatus) -> str:
    words = STATUS_WORDS[status]
    return tr(words[:1].upper() + words[1:])


def rag_words(rag: Rag | None) -> str:
    return rag.value.upper() if rag is not None else tr("Not rated")


def referral_source_words(code: str) -> str:
    name = REFERRAL_SOURCES.get(code)
    return f"{code} — {tr(name)}" if name else code


def primary_need_words(code: str) -> str:
    name = PRIMARY_NEEDS.get(code)
    return f"{code} — {tr(name)}" if name else code


def outcome_words(outcome: Outcome) -> str:
    return tr(OUTCOME_WORDS[outcome])


def level_words(level: int) -> str:
    try:
        return tr(LEVEL_WORDS[LevelOfNeed(level)])
    except ValueError:
        return str(level)


def override_basis_words(basis: OverrideBasis) -> str:
    return {
        OverrideBasis.PUBLIC_TASK_SAFEGUARDING: tr(
            "UK GDPR Art 6(1)(e) public task, Art 9(2)(g) with DPA 2018 Sch 1 para 18 (safeguarding)"
        ),
        OverrideBasis.VITAL_INTERESTS: tr("UK GDPR Art 6(1)(d) vital interests"),
        OverrideBasis.LEGAL_OBLIGATION: tr("UK GDPR Art 6(1)(c) legal obligation"),
    }[basis]


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
