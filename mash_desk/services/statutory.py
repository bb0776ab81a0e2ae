"""Gathering the statutory lists from the database: Ofsted Annex A (Lists 1 and 3) and the CIN census.

Definitions used (and documented for the return's author):

- **contact date / referral date**: the London date the MASH received the contact (``received_at``);
- **referral**: a child named in a contact whose authorised outcome is an assessment (CFA_S17), a
  strategy discussion (STRATEGY_S47) or emergency protection (``domain.cin.is_referral``); two
  referrals of one child on one day count once, the first received;
- **Annex A period**: the six months up to and including the date given (``annex_a_period``);
- **census year YYYY**: 1 April YYYY-1 to 31 March YYYY, reference date 31 March YYYY; its episodes,
  UPN-unknown reasons, unborn children and sex are ``domain.cin_census``'s rules;
- **a referral closed at the front door**: a child whose authorised decision was a referral and whose
  decision was then changed (after a manager reopened it) to no further action or advice: in the
  census a referral with ``ReferralNFA`` true, closed that day;
- **Referral NFA?**: "Yes" for a referral the front door closed with no further action (below), else "No";
- **List 2 (early help)**: children the Early Help Team accepted from the MASH in the period, from the
  day it accepted (the MASH records no assessment dates of its own);
- **List 5 (section 47)**: children whose authorised decision in the period was a strategy discussion,
  from the day of that decision; conference dates and outcomes are the receiving team's;
- **Number of Referrals in Last 12 Months**: this referral and the child's others in the 12 months
  up to its date (so 1 means no earlier referral);
- **Allocated Team / Worker**: the team that accepted the hand-off (blank while nobody has), and the
  child's allocated worker in that team if one is recorded.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mash_desk import __version__
from mash_desk.domain import validation
from mash_desk.domain.annex_a import ethnicity_label, gender_label, source_label, yes_no, yes_no_unknown
from mash_desk.domain.cin import ETHNICITIES, NO_DISABILITY, PRIMARY_NEEDS
from mash_desk.domain.cin_census import (
    ReferralFact,
    census_birth,
    census_child_id,
    census_gender,
    census_upn_unknown,
    census_year,
    cin_episodes,
)
from mash_desk.domain.enums import DecisionStatus, Gender, HandOffStatus, Outcome, Role, TeamKind
from mash_desk.domain.errors import InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.periods import Period, annex_a_period, census_period, london_date
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.validation import add_months
from mash_desk.exports.annex_a import (
    AnnexA,
    ChildColumns,
    ContactRow,
    EarlyHelpRow,
    EnquiryRow,
    ReferralRow,
    write_annex_a,
)
from mash_desk.exports.cin_census import CensusChild, CensusReferral, CensusReturn, census_xml
from mash_desk.exports.referrals import (
    age_in_years,
    child_unique_id,
    referral_days,
    referrals_in_last_12_months,
)
from mash_desk.services.context import Actor, ServiceContext, audit_export
from mash_desk.services.policy import load_la_code
from mash_desk.services.reporting import for_reports
from mash_desk.store.models import Contact, ContactChild, HandOff, Person, Team, ThresholdDecision, User
from mash_desk.store.queries import lookup

REFERRAL_OUTCOMES = (Outcome.CFA_S17, Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION)
CLOSED_AT_THE_FRONT_DOOR = (Outcome.NFA, Outcome.ADVICE_SIGNPOST)
RETURN_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR})
NOT_OBTAINED = "NOBT"


def _require_returns(actor: Actor) -> None:
    if actor.role not in RETURN_ROLES:
        raise PermissionRefused("Only managers, administrators and auditors can produce the statutory returns.")


def _ethnicity(code: str | None) -> str:
    normal = (code or "").strip().upper()
    return normal if normal in ETHNICITIES else NOT_OBTAINED


@dataclass(frozen=True)
class _Child:
    """The columns of a child the returns need (plain values: no ORM objects for tens of thousands of rows)."""

    id: int
    local_child_id: str | None
    gender: Gender
    ethnicity_code: str | None
    date_of_birth: date | None
    expected_date_of_birth: date | None
    upn: str | None
    upn_unknown: str | None
    disability: bool | None
    allocated_team_id: int | None
    allocated_worker_id: int | None

    @property
    def unique_id(self) -> str:
        return child_unique_id(self.id, self.local_child_id)


_CHILD_COLUMNS = (
    Person.id,
    Person.local_child_id,
    Person.gender,
    Person.ethnicity_code,
    Person.date_of_birth,
    Person.expected_date_of_birth,
    Person.upn,
    Person.upn_unknown,
    Person.disability,
    Person.allocated_team_id,
    Person.allocated_worker_id,
)


def _child(row: Any) -> _Child:
    """A ``_Child`` from a result row that selected ``_CHILD_COLUMNS`` (by their names)."""
    return _Child(
        id=row.id,
        local_child_id=row.local_child_id,
        gender=row.gender,
        ethnicity_code=row.ethnicity_code,
        date_of_birth=row.date_of_birth,
        expected_date_of_birth=row.expected_date_of_birth,
        upn=row.upn,
        upn_unknown=row.upn_unknown,
        disability=row.disability,
        allocated_team_id=row.allocated_team_id,
        allocated_worker_id=row.allocated_worker_id,
    )


@dataclass(frozen=True)
class _Referral:
    child: _Child
    outcome: Outcome
    primary_need: str | None
    contact_id: int
    source: str
    day: date


def _first_referral_per_day(session: Session, period: Period) -> list[_Referral]:
    """Each child's referrals in the period, the first of any one day only, in date order."""
    seen: set[tuple[int, date]] = set()
    firsts: list[_Referral] = []
    for row in session.execute(
        select(
            *_CHILD_COLUMNS,
            ContactChild.outcome,
            ContactChild.primary_need,
            Contact.id.label("contact_id"),
            Contact.referral_source,
            Contact.received_at,
        )
        .join(ContactChild, ContactChild.person_id == Person.id)
        .join(Contact, Contact.id == ContactChild.contact_id)
        .where(
            ContactChild.outcome.in_(REFERRAL_OUTCOMES),
            Contact.received_at >= period.start,
            Contact.received_at < period.end,
        )
        .order_by(Contact.received_at, Contact.id)
    ):
        child = _child(row)
        day = london_date(row.received_at)
        if (child.id, day) not in seen:
            seen.add((child.id, day))
            firsts.append(_Referral(child, row.outcome, row.primary_need, row.contact_id, row.referral_source, day))
    return firsts


def _history(session: Session, person_ids: set[int], since: date, until: date) -> dict[int, list[date]]:
    """Referral dates of these children between two London dates (inclusive), one per day.

    Every referral in the window is read and filtered here: a long ``IN`` list of children makes
    SQLite probe each contact in the window once per child (and lists have a size limit).
    """
    if not person_ids:
        return {}
    window = Period(since, until)
    rows = session.execute(
        select(ContactChild.person_id, Contact.received_at)
        .join(Contact, Contact.id == ContactChild.contact_id)
        .where(
            ContactChild.outcome.in_(REFERRAL_OUTCOMES),
            Contact.received_at >= window.start,
            Contact.received_at < window.end,
        )
    )
    return referral_days((person_id, london_date(received)) for person_id, received in rows if person_id in person_ids)


# --- Annex A --------------------------------------------------------------------------------------


def _child_columns(child: _Child, on: date) -> ChildColumns:
    return ChildColumns(
        child_id=child.unique_id,
        gender=gender_label(child.gender),
        ethnicity=ethnicity_label(_ethnicity(child.ethnicity_code)),
        date_of_birth=child.date_of_birth,
        age=age_in_years(child.date_of_birth, on),
    )


def _allocation(
    child: _Child, team_id: int | None, teams: dict[int, str], workers: dict[int, str]
) -> tuple[str | None, str | None]:
    """The team that accepted the hand-off, and the child's worker in that team if one is recorded."""
    if team_id is None:
        return None, None
    worker = (
        workers.get(child.allocated_worker_id)
        if child.allocated_worker_id and child.allocated_team_id == team_id
        else None
    )
    return teams.get(team_id), worker


def _strategy_discussions(session: Session, since: date, until: date) -> list[tuple[_Child, int, date]]:
    """Children whose authorised decision was a strategy discussion, decided between two London dates."""
    window = Period(since, until)
    return [
        (_child(row), row.contact_id, london_date(row.decided_at))
        for row in session.execute(
            select(*_CHILD_COLUMNS, Contact.id.label("contact_id"), Contact.decided_at)
            .join(ContactChild, ContactChild.person_id == Person.id)
            .join(Contact, Contact.id == ContactChild.contact_id)
            .where(
                ContactChild.outcome == Outcome.STRATEGY_S47,
                Contact.decided_at >= window.start,
                Contact.decided_at < window.end,
            )
            .order_by(Contact.decided_at, Contact.id)
        )
    ]


def annex_a(ctx: ServiceContext, inspection_date: date) -> AnnexA:
    """Lists 1, 2, 3 and 5 for the six months up to ``inspection_date``."""
    period = annex_a_period(inspection_date)
    in_period = (Contact.received_at >= period.start, Contact.received_at < period.end)
    year_before = add_months(period.first, -12)
    with for_reports(ctx).unit() as (session, actor):
        _require_returns(actor)
        contacts: list[ContactRow] = []
        for row in session.execute(
            select(*_CHILD_COLUMNS, Contact.received_at, Contact.referral_source)
            .join(ContactChild, ContactChild.person_id == Person.id)
            .join(Contact, Contact.id == ContactChild.contact_id)
            .where(*in_period)
            .order_by(Contact.received_at, Contact.id, ContactChild.id)
        ):
            day = london_date(row.received_at)
            contacts.append(ContactRow(_child_columns(_child(row), day), day, source_label(row.referral_source)))
        accepted_team: dict[int, int] = {}
        for contact_id, team_id in session.execute(
            select(HandOff.contact_id, HandOff.team_id)
            .join(Contact, Contact.id == HandOff.contact_id)
            .where(Contact.received_at >= Period(year_before, period.last).start, Contact.received_at < period.end)
            .where(HandOff.status == HandOffStatus.ACCEPTED)
            .order_by(HandOff.id)
        ):
            accepted_team[contact_id] = team_id
        teams = lookup(session, select(Team.id, Team.name))
        workers = lookup(session, select(User.id, User.display_name))
        # List 3: referrals for further action, and referrals the front door closed with no further action
        firsts = [(r, False) for r in _first_referral_per_day(session, period)]
        closed = [(r, True) for r, _on in _closed_at_the_front_door(session, period)]
        history = _history(session, {r.child.id for r, _nfa in firsts + closed}, year_before, period.last)
        for earlier, _on in _closed_at_the_front_door(session, Period(year_before, period.last)):
            days = history.setdefault(earlier.child.id, [])
            if earlier.day not in days:
                insort(days, earlier.day)
        referrals = [
            ReferralRow(
                _child_columns(r.child, r.day),
                r.day,
                source_label(r.source),
                yes_no(nfa),
                referrals_in_last_12_months(history.get(r.child.id, []), r.day),
                *_allocation(r.child, None if nfa else accepted_team.get(r.contact_id), teams, workers),
            )
            for r, nfa in sorted(firsts + closed, key=lambda pair: (pair[0].day, pair[0].contact_id))
        ]
        # List 2: the children the Early Help Team took on from the MASH in the period
        early_help = [
            EarlyHelpRow(
                _child_columns(_child(row), london_date(row.responded_at)), london_date(row.responded_at), row.name
            )
            for row in session.execute(
                select(*_CHILD_COLUMNS, HandOff.responded_at, Team.name)
                .join(ContactChild, ContactChild.person_id == Person.id)
                .join(HandOff, HandOff.contact_id == ContactChild.contact_id)
                .join(Team, Team.id == HandOff.team_id)
                .where(
                    ContactChild.outcome == Outcome.EARLY_HELP,
                    HandOff.status == HandOffStatus.ACCEPTED,
                    Team.kind == TeamKind.EARLY_HELP,
                    HandOff.responded_at >= period.start,
                    HandOff.responded_at < period.end,
                )
                .order_by(HandOff.responded_at, HandOff.id)
            )
        ]
        # List 5: strategy discussions the MASH decided in the period (section 47 enquiries start there)
        discussions = _strategy_discussions(session, year_before, period.last)
        discussion_days = referral_days((child.id, day) for child, _contact, day in discussions)
        enquiries = [
            EnquiryRow(
                _child_columns(child, day),
                yes_no_unknown(child.disability),
                day,
                referrals_in_last_12_months(discussion_days[child.id], day),
                *_allocation(child, accepted_team.get(contact_id), teams, workers),
            )
            for child, contact_id, day in discussions
            if day in period
        ]
        return AnnexA(
            period=period,
            generated_at=ctx.now().astimezone(LONDON),
            contacts=tuple(contacts),
            referrals=tuple(referrals),
            early_help=tuple(early_help),
            enquiries=tuple(enquiries),
        )


@dataclass(frozen=True)
class AnnexAWritten:
    """What the window says after writing Annex A: the file, the period and each list's rows."""

    path: Path
    period: Period
    contacts: int
    """Rows in List 1 (contacts)."""
    referrals: int
    """Rows in List 3 (referrals)."""
    early_help: int = 0
    """Rows in List 2 (early help)."""
    enquiries: int = 0
    """Rows in List 5 (section 47 enquiries)."""


def export_annex_a(ctx: ServiceContext, inspection_date: date, target: Path) -> AnnexAWritten:
    """Write the Annex A workbook to ``target`` and say what was written."""
    annex = annex_a(ctx, inspection_date)
    audit_export(
        ctx,
        "export.annex_a",
        {
            "file": target.name,
            "inspection_date": inspection_date.isoformat(),
            "contacts": len(annex.contacts),
            "referrals": len(annex.referrals),
            "early_help": len(annex.early_help),
            "enquiries": len(annex.enquiries),
        },
    )
    write_annex_a(annex, target)
    return AnnexAWritten(
        target, annex.period, len(annex.contacts), len(annex.referrals), len(annex.early_help), len(annex.enquiries)
    )


# --- CIN census -----------------------------------------------------------------------------------


def _hub_la_code(session: Session) -> str:
    """The hub's own code, for an export that names none (an administrator sets it once for every workstation)."""
    stored = load_la_code(session)
    if stored is None:
        raise InvalidInput.single(
            "la",
            "Enter your local authority's three-digit code; an administrator can set it once for the hub "
            "(Administration ▸ Settings).",
        )
    return stored


def _closed_at_the_front_door(session: Session, period: Period) -> list[tuple[_Referral, date | None]]:
    """Referrals the front door closed: an authorised referral decision replaced by no further action or
    advice. Each with the London date of that last decision (``None`` if it came after the year)."""
    found: list[tuple[_Referral, date | None]] = []
    seen: set[int] = set()
    for row in session.execute(
        select(
            *_CHILD_COLUMNS,
            ContactChild.id.label("link_id"),
            ContactChild.outcome,
            ThresholdDecision.primary_need,
            Contact.id.label("contact_id"),
            Contact.referral_source,
            Contact.received_at,
            Contact.decided_at,
        )
        .join(ContactChild, ContactChild.person_id == Person.id)
        .join(Contact, Contact.id == ContactChild.contact_id)
        .join(ThresholdDecision, ThresholdDecision.contact_child_id == ContactChild.id)
        .where(
            ContactChild.outcome.in_(CLOSED_AT_THE_FRONT_DOOR),
            ThresholdDecision.status == DecisionStatus.AUTHORISED,
            ThresholdDecision.outcome.in_(REFERRAL_OUTCOMES),
            Contact.received_at >= period.start,
            Contact.received_at < period.end,
        )
        .order_by(Contact.received_at, Contact.id, ThresholdDecision.id)
    ):
        if row.link_id in seen:
            continue
        seen.add(row.link_id)
        decided = london_date(row.decided_at) if row.decided_at is not None else None
        referral = _Referral(
            _child(row),
            row.outcome,
            row.primary_need,
            row.contact_id,
            row.referral_source,
            london_date(row.received_at),
        )
        found.append((referral, decided if decided is not None and decided <= period.last else None))
    return found


def _need(code: str | None) -> str | None:
    return code if code in PRIMARY_NEEDS else None


def _valid_upn(upn: str | None) -> str | None:
    """A UPN stored before today's checks (the LA code) that fails them is left out, not sent."""
    if upn is None:
        return None
    try:
        return validation.normalise_upn(upn)
    except InvalidInput:
        return None


def cin_census(ctx: ServiceContext, year: int, la_code: str | None = None) -> CensusReturn:
    """The referral-level CIN census for the collection year ending 31 March ``year``, for ``la_code``
    (or, when none is given, the hub's own)."""
    given = validation.normalise_la_code(la_code) if la_code is not None and la_code.strip() else None
    period = census_period(census_year(str(year)))  # only the years whose format the export knows
    with for_reports(ctx).unit() as (session, actor):
        _require_returns(actor)
        code = given or _hub_la_code(session)
        children_by_id: dict[int, _Child] = {}
        facts: dict[int, list[ReferralFact]] = {}
        for referral in _first_referral_per_day(session, period):
            children_by_id[referral.child.id] = referral.child
            facts.setdefault(referral.child.id, []).append(
                ReferralFact(referral.day, referral.source, _need(referral.primary_need))
            )
        for referral, nfa_on in _closed_at_the_front_door(session, period):
            children_by_id[referral.child.id] = referral.child
            facts.setdefault(referral.child.id, []).append(
                ReferralFact(referral.day, referral.source, _need(referral.primary_need), nfa_on=nfa_on)
            )
        if not facts:
            raise NotFound(
                f"No referrals were received from {period.first:%d %B %Y} to {period.last:%d %B %Y}, "
                "so there is no census return to write."
            )
        children: list[CensusChild] = []
        left_out = 0
        for child in children_by_id.values():
            episodes = cin_episodes(facts[child.id])
            birth = census_birth(child.date_of_birth, child.expected_date_of_birth, period.last)
            upn = _valid_upn(child.upn)
            left_out += upn is None and child.upn is not None
            children.append(
                CensusChild(
                    la_child_id=census_child_id(child.unique_id, child.id),
                    upn=upn,
                    upn_unknown=census_upn_unknown(
                        upn, child.upn_unknown, birth, period.last, all_nfa=all(e.nfa for e in episodes)
                    ),
                    birth_date=birth.birth_date,
                    expected_birth_date=birth.expected_birth_date,
                    gender=census_gender(child.gender, birth, year),
                    ethnicity=_ethnicity(child.ethnicity_code),
                    disabilities=(NO_DISABILITY,) if child.disability is False else (),
                    referrals=tuple(
                        CensusReferral(
                            referral_date=e.referral_date,
                            referral_source=e.source,
                            primary_need=e.primary_need,
                            nfa=e.nfa,
                            closure_date=e.closure_date,
                            closure_reason=e.closure_reason,
                        )
                        for e in episodes
                    ),
                )
            )
        children.sort(key=lambda c: c.la_child_id)
        return CensusReturn(
            year=year,
            la_code=code,
            period=period,
            generated_at=ctx.now().astimezone(LONDON).replace(tzinfo=None),
            release=__version__,
            children=tuple(children),
            referrals=sum(len(found) for found in facts.values()),
            upns_left_out=left_out,
        )


@dataclass(frozen=True)
class CensusWritten:
    """What the window says after writing the CIN census: the file, the period and the children in it."""

    path: Path
    period: Period
    children: int


def export_cin_census(ctx: ServiceContext, year: int, la_code: str | None, target: Path) -> CensusWritten:
    """Write the census XML to ``target`` and say what was written."""
    census = cin_census(ctx, year, la_code)
    audit_export(
        ctx,
        "export.cin_census",
        {"file": target.name, "year": year, "la_code": census.la_code, "children": len(census.children)},
    )
    target.write_bytes(census_xml(census))
    return CensusWritten(target, census.period, len(census.children))
