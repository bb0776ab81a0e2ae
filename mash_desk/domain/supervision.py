"""Case supervision (issue 14): what a record of it must hold, and when the next one is due.

Each practitioner has regular, recorded, reflective case supervision with a manager; how often is
local policy (the ``supervision`` row of the timescale table). A supervision names the cases
discussed, each with the reflection and the actions agreed, which go on the child's record as
management oversight. Pure rules: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.periods import london_date, london_midnight
from mash_desk.domain.timescales import TimescaleRule, WorkingCalendar, due_at

MAX_SUPERVISION_TEXT = 5000
MAX_CASES_DISCUSSED = 20
MIN_REFLECTION = 10
# a supervision typed in long after it happened is more likely a wrong date than a late record
LONGEST_LOOKBACK = timedelta(days=92)
_REFERENCE = re.compile(r"^MASH-?(\d{1,9})$")


@dataclass(frozen=True)
class CaseDiscussed:
    """One case discussed in supervision, as typed: the contact's reference, the reflection, the actions."""

    reference: str
    reflection: str
    actions: str


def normal_reference(text: str) -> str | None:
    """``MASH-0000042`` from ``mash-42``, ``MASH0000042`` or `` MASH-0000042 ``; ``None`` if it is not one."""
    match = _REFERENCE.match(text.strip().upper())
    return None if match is None else f"MASH-{int(match.group(1)):07d}"


def check_case_discussed(reference: str, reflection: str, actions: str) -> CaseDiscussed:
    """A case as the form gives it, cleaned; every wrong field is reported at once."""
    errors: dict[str, str] = {}
    normal = normal_reference(reference)
    if normal is None:
        errors["reference"] = "Give the contact's reference, as in MASH-0000042."
    reflection, actions = reflection.strip(), actions.strip()
    if len(reflection) < MIN_REFLECTION:
        errors["reflection"] = f"Write the reflection on this case (at least {MIN_REFLECTION} characters)."
    elif len(reflection) > MAX_SUPERVISION_TEXT:
        errors["reflection"] = f"The reflection can be at most {MAX_SUPERVISION_TEXT:,} characters."
    if not actions:
        errors["actions"] = "Write the actions agreed (or say that none were needed, and why)."
    elif len(actions) > MAX_SUPERVISION_TEXT:
        errors["actions"] = f"The actions can be at most {MAX_SUPERVISION_TEXT:,} characters."
    if errors or normal is None:
        raise InvalidInput(errors)
    return CaseDiscussed(normal, reflection, actions)


def check_supervision(
    practitioner_id: int | None,
    supervisor_id: int | None,
    held_on: date | None,
    cases: Sequence[CaseDiscussed],
    today: date,
) -> None:
    """The whole record: who, with whom, when, and at least one case, none twice."""
    errors: dict[str, str] = {}
    if practitioner_id is None:
        errors["practitioner"] = "Choose the practitioner who was supervised."
    if supervisor_id is None:
        errors["supervisor"] = "Choose the manager who supervised."
    elif supervisor_id == practitioner_id:
        errors["supervisor"] = "Nobody supervises themselves: choose another manager."
    if held_on is None:
        errors["held_on"] = "Give the date the supervision took place."
    elif held_on > today:
        errors["held_on"] = "A supervision is recorded once it has taken place: the date is in the future."
    elif held_on < today - LONGEST_LOOKBACK:
        errors["held_on"] = (
            f"That is more than {LONGEST_LOOKBACK.days} days ago; check the date "
            "(older supervision is not recorded here)."
        )
    references = [case.reference for case in cases]
    if not cases:
        errors["cases"] = "Add at least one case discussed, with the reflection and the actions agreed."
    elif len(cases) > MAX_CASES_DISCUSSED:
        errors["cases"] = f"At most {MAX_CASES_DISCUSSED} cases in one supervision."
    elif len(set(references)) != len(references):
        errors["cases"] = "A case is listed twice: put everything said about it in one entry."
    if errors:
        raise InvalidInput(errors)


def next_supervision_due(last_held: date, rule: TimescaleRule, calendar: WorkingCalendar) -> date:
    """The date the next supervision is due after one held on ``last_held``, under the policy's rule."""
    return london_date(due_at(london_midnight(last_held), rule, calendar))


def overdue_on(last_held: date | None, on: date, rule: TimescaleRule, calendar: WorkingCalendar) -> bool:
    """Whether someone last supervised on ``last_held`` (``None``: never) is overdue on ``on``."""
    if last_held is None:
        return True
    return next_supervision_due(last_held, rule, calendar) < on


def oversight_text(practitioner: str, supervisor: str, held_on: date, case: CaseDiscussed) -> str:
    """The management oversight entry a case discussed in supervision writes on its contact."""
    return (
        f"Case supervision of {practitioner} by {supervisor} on {held_on:%d %B %Y}.\n"
        f"Reflection: {case.reflection}\n"
        f"Actions agreed: {case.actions}"
    )
