"""The Standard Safeguarding Dataset tables MASH Desk can fill, gathered from the database.

What goes where (the fields the MASH does not record stay empty):

- **ssd_person**: every child named in a contact received since ``since``; sex from the record (M, F,
  U; MASH Desk records no separate gender identity), NHS number as the common child id, the recorded
  reason a UPN is unknown;
- **ssd_contacts**: one row per child per contact, the outcome as the model's flags (Y/N once decided);
- **ssd_cin_episodes**: one row per referral (the first of a day): further action, or a referral the
  front door closed with no further action (RC8, closed the day of that decision);
- **ssd_address**: the household's address (line 1 as the street, line 2 as the building), postcode
  without spaces; **ssd_family**: the household as the family; **ssd_linked_identifiers**: UPN and
  NHS number; **ssd_disability**: NONE, or DDA ("Other DDA", as the model says when the kind is not
  recorded); **ssd_immigration_status**: children a contact named as unaccompanied asylum seekers;
- **ssd_involvements**, **ssd_early_help_episodes**: hand-offs a team accepted (early help ones are
  early help episodes); **ssd_professionals**, **ssd_department**: the hub's users and teams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from mash_desk.domain.cin import PRIMARY_NEEDS, REFERRAL_SOURCES, is_referral
from mash_desk.domain.cin_census import CLOSED_NFA
from mash_desk.domain.enums import (
    Concern,
    ContactStatus,
    Gender,
    HandOffStatus,
    Outcome,
    PersonKind,
    TeamKind,
)
from mash_desk.domain.periods import Period, london_date
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.validation import add_months
from mash_desk.exports.referrals import child_unique_id
from mash_desk.exports.ssd import (
    ADDRESS_KEYS,
    CONTACT_OUTCOME_KEYS,
    REFERRAL_OUTCOME_KEYS,
    Row,
    SsdExtract,
    flag,
    structure,
    write_ssd,
)
from mash_desk.services.context import ServiceContext, audit_export
from mash_desk.services.reporting import for_reports
from mash_desk.services.statutory import _closed_at_the_front_door, _first_referral_per_day, _require_returns
from mash_desk.store.models import (
    Contact,
    ContactChild,
    ContactConcern,
    HandOff,
    Household,
    HouseholdMember,
    Person,
    Team,
    User,
)
from mash_desk.store.queries import lookup

YEARS = 6  # the SSD's usual time frame
_SEX = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.NOT_KNOWN: "U", Gender.NOT_SPECIFIED: "U"}
_OPEN = frozenset(set(ContactStatus) - {ContactStatus.CLOSED})
_OTHER_OUTCOMES = frozenset(
    {Outcome.EARLY_HELP, Outcome.SINGLE_AGENCY, Outcome.MARAC, Outcome.LADO, Outcome.TRANSFER_OTHER_LA}
)
UASC = "Unaccompanied Asylum Seeking Child"


def default_since(today: date) -> date:
    return add_months(today, -12 * YEARS)


def _need(code: str | None) -> str | None:
    return code if code in PRIMARY_NEEDS else None


def _contact_outcome(outcome: Outcome | None, concerns: set[Concern]) -> str:
    if outcome is None:
        return structure(CONTACT_OUTCOME_KEYS, {})
    return structure(
        CONTACT_OUTCOME_KEYS,
        {
            "NEW_REFERRAL_FLAG": flag(is_referral(outcome)),
            "EXISTING_REFERRAL_FLAG": flag(outcome is Outcome.PASS_TO_ALLOCATED_WORKER),
            "CP_ENQUIRY_FLAG": flag(outcome in (Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION)),
            "NFA_FLAG": flag(outcome is Outcome.NFA),
            "PRIVATE_FOSTERING_FLAG": flag(Concern.PRIVATE_FOSTERING in concerns),
            "ADVICE_FLAG": flag(outcome is Outcome.ADVICE_SIGNPOST),
            "MISSING_FLAG": flag(Concern.MISSING in concerns),
            "OTHER_OUTCOMES_EXIST_FLAG": flag(outcome in _OTHER_OUTCOMES),
        },
    )


def _referral_outcome(outcome: Outcome, nfa: bool) -> str:
    return structure(
        REFERRAL_OUTCOME_KEYS,
        {
            "SINGLE_ASSESSMENT_FLAG": flag(not nfa and outcome is Outcome.CFA_S17),
            "NFA_FLAG": flag(nfa),
            "STRATEGY_DISCUSSION_FLAG": flag(
                not nfa and outcome in (Outcome.STRATEGY_S47, Outcome.EMERGENCY_PROTECTION)
            ),
        },
    )


@dataclass(frozen=True)
class SsdWritten:
    folder: Path
    since: date
    until: date
    rows: dict[str, int]


def ssd_extract(ctx: ServiceContext, since: date) -> SsdExtract:
    """Every table for the contacts received from ``since`` to today (London)."""
    today = london_date(ctx.now())
    window = Period(since, today)
    in_window = (Contact.received_at >= window.start, Contact.received_at < window.end)
    with for_reports(ctx).unit() as (session, actor):
        _require_returns(actor)
        concerns: dict[int, set[Concern]] = defaultdict(set)
        for contact_id, concern in session.execute(
            select(ContactConcern.contact_id, ContactConcern.concern)
            .join(Contact, Contact.id == ContactConcern.contact_id)
            .where(*in_window)
        ):
            concerns[contact_id].add(concern)
        links = session.execute(
            select(
                ContactChild.id,
                ContactChild.person_id,
                ContactChild.outcome,
                Contact.id.label("contact_id"),
                Contact.received_at,
                Contact.referral_source,
            )
            .join(Contact, Contact.id == ContactChild.contact_id)
            .where(*in_window)
            .order_by(Contact.received_at, Contact.id, ContactChild.id)
        ).all()
        child_ids = {link.person_id for link in links}
        people = {
            person.id: person
            for person in session.scalars(select(Person).where(Person.kind == PersonKind.CHILD))
            if person.id in child_ids
        }
        ids = {pid: child_unique_id(pid, person.local_child_id) for pid, person in people.items()}
        persons: list[Row] = [
            {
                "pers_person_id": ids[p.id],
                "pers_forename": p.given_names,
                "pers_surname": p.family_name,
                "pers_sex": "U" if p.date_of_birth is None and p.expected_date_of_birth else _SEX[p.gender],
                "pers_ethnicity": p.ethnicity_code or "NOBT",
                "pers_dob": p.date_of_birth,
                "pers_common_child_id": p.nhs_number,
                "pers_upn_unknown": None if p.upn else p.upn_unknown,
                "pers_expected_dob": p.expected_date_of_birth,
            }
            for p in sorted(people.values(), key=lambda p: p.id)
        ]
        contacts: list[Row] = [
            {
                "cont_contact_id": f"C{link.id}",
                "cont_person_id": ids[link.person_id],
                "cont_contact_date": link.received_at.astimezone(LONDON).replace(tzinfo=None),
                "cont_contact_source_code": link.referral_source,
                "cont_contact_source_desc": REFERRAL_SOURCES.get(link.referral_source),
                "cont_contact_outcome_json": _contact_outcome(link.outcome, concerns[link.contact_id]),
            }
            for link in links
            if link.person_id in ids
        ]
        teams = lookup(session, select(Team.id, Team.name))
        team_kinds = lookup(session, select(Team.id, Team.kind))
        accepted: dict[int, tuple[int, int, date]] = {}  # contact → (hand-off, team, day accepted)
        for handoff_id, contact_id, team_id, responded_at in session.execute(
            select(HandOff.id, HandOff.contact_id, HandOff.team_id, HandOff.responded_at)
            .join(Contact, Contact.id == HandOff.contact_id)
            .where(*in_window, HandOff.status == HandOffStatus.ACCEPTED)
            .order_by(HandOff.id)
        ):
            if responded_at is not None:
                accepted[contact_id] = (handoff_id, team_id, london_date(responded_at))

        def worker_in(person: Person, team_id: int) -> str | None:
            return (
                str(person.allocated_worker_id)
                if person.allocated_worker_id and person.allocated_team_id == team_id
                else None
            )

        episodes: list[Row] = []
        referral_of: dict[tuple[int, int], str] = {}
        for referral in _first_referral_per_day(session, window):
            referral_id = f"R{referral.contact_id}-{referral.child.id}"
            referral_of[(referral.contact_id, referral.child.id)] = referral_id
            handed = accepted.get(referral.contact_id)
            person = people[referral.child.id]
            episodes.append(
                {
                    "cine_referral_id": referral_id,
                    "cine_person_id": ids[referral.child.id],
                    "cine_referral_date": referral.day,
                    "cine_cin_primary_need_code": referral.primary_need
                    if referral.primary_need in PRIMARY_NEEDS
                    else None,
                    "cine_referral_source_code": referral.source,
                    "cine_referral_source_desc": REFERRAL_SOURCES.get(referral.source),
                    "cine_referral_outcome_json": _referral_outcome(referral.outcome, nfa=False),
                    "cine_referral_nfa": "N",
                    "cine_referral_team": str(handed[1]) if handed else None,
                    "cine_referral_worker_id": worker_in(person, handed[1]) if handed else None,
                }
            )
        for referral, closed_on in _closed_at_the_front_door(session, window):
            episodes.append(
                {
                    "cine_referral_id": f"R{referral.contact_id}-{referral.child.id}",
                    "cine_person_id": ids[referral.child.id],
                    "cine_referral_date": referral.day,
                    "cine_cin_primary_need_code": referral.primary_need
                    if referral.primary_need in PRIMARY_NEEDS
                    else None,
                    "cine_referral_source_code": referral.source,
                    "cine_referral_source_desc": REFERRAL_SOURCES.get(referral.source),
                    "cine_referral_outcome_json": _referral_outcome(referral.outcome, nfa=True),
                    "cine_referral_nfa": "Y",
                    "cine_close_reason": CLOSED_NFA if closed_on else None,
                    "cine_close_date": closed_on,
                }
            )
        involvements: list[Row] = []
        early_help: list[Row] = []
        for link in links:
            handed = accepted.get(link.contact_id)
            if handed is None or link.person_id not in people or link.outcome is None:
                continue
            handoff_id, team_id, day = handed
            person = people[link.person_id]
            row_id = f"H{handoff_id}-{link.person_id}"
            involvements.append(
                {
                    "invo_involvements_id": row_id,
                    "invo_professional_id": worker_in(person, team_id),
                    "invo_professional_role_id": "Allocated team",
                    "invo_professional_team": str(team_id),
                    "invo_involvement_start_date": day,
                    "invo_worker_change_reason": "FCONTA",
                    "invo_person_id": ids[link.person_id],
                    "invo_referral_id": referral_of.get((link.contact_id, link.person_id)),
                }
            )
            if link.outcome is Outcome.EARLY_HELP and team_kinds.get(team_id) is TeamKind.EARLY_HELP:
                early_help.append(
                    {
                        "earl_episode_id": row_id,
                        "earl_person_id": ids[link.person_id],
                        "earl_episode_start_date": day,
                        "earl_episode_reason": ", ".join(
                            sorted(c.value.replace("_", " ") for c in concerns[link.contact_id])
                        )
                        or None,
                        "earl_episode_organisation": teams.get(team_id),
                        "earl_episode_worker_id": worker_in(person, team_id),
                    }
                )
        households: dict[int, list[int]] = defaultdict(list)
        for household_id, person_id in session.execute(
            select(HouseholdMember.household_id, HouseholdMember.person_id).order_by(
                HouseholdMember.household_id, HouseholdMember.person_id
            )
        ):
            if person_id in people:
                households[household_id].append(person_id)
        addresses: list[Row] = []
        families: list[Row] = []
        for household in session.scalars(select(Household).order_by(Household.id)):
            for person_id in households.get(household.id, ()):
                addresses.append(
                    {
                        "addr_table_id": f"A{household.id}-{person_id}",
                        "addr_address_json": structure(
                            ADDRESS_KEYS,
                            {
                                "BUILDING": household.address_line2 or "",
                                "STREET": household.address_line1 or "",
                                "TOWN": household.town or "",
                            },
                        ),
                        "addr_person_id": ids[person_id],
                        "addr_address_type": "Home",
                        "addr_address_start_date": london_date(household.created_at),
                        "addr_address_postcode": (household.postcode or "").replace(" ", "") or None,
                    }
                )
                families.append(
                    {
                        "fami_table_id": f"F{household.id}-{person_id}",
                        "fami_family_id": f"F{household.id}",
                        "fami_person_id": ids[person_id],
                    }
                )
        identifiers: list[Row] = []
        disabilities: list[Row] = []
        for p in sorted(people.values(), key=lambda p: p.id):
            for kind, value in (("Unique Pupil Number", p.upn), ("NHS Number", p.nhs_number)):
                if value:
                    identifiers.append(
                        {
                            "link_table_id": f"L{p.id}-{'UPN' if kind.startswith('Unique') else 'NHS'}",
                            "link_person_id": ids[p.id],
                            "link_identifier_type": kind,
                            "link_identifier_value": value,
                            "link_valid_from_date": london_date(p.created_at),
                        }
                    )
            if p.disability is not None and p.date_of_birth is not None:  # an unborn child has no disability item
                disabilities.append(
                    {
                        "disa_person_id": ids[p.id],
                        "disa_table_id": f"D{p.id}",
                        "disa_disability_code": "DDA" if p.disability else "NONE",
                    }
                )
        first_uasc: dict[int, date] = {}
        for link in links:
            if Concern.UNACCOMPANIED_ASYLUM_SEEKER in concerns[link.contact_id] and link.person_id in people:
                first_uasc.setdefault(link.person_id, london_date(link.received_at))
        immigration: list[Row] = [
            {
                "immi_person_id": ids[person_id],
                "immi_immigration_status_id": f"I{person_id}",
                "immi_immigration_status": UASC,
                "immi_immigration_status_start_date": day,
            }
            for person_id, day in sorted(first_uasc.items())
        ]
        caseload = lookup(
            session,
            select(Contact.assigned_to_id, func.count(Contact.id))
            .where(Contact.status.in_(_OPEN), Contact.assigned_to_id.is_not(None))
            .group_by(Contact.assigned_to_id),
        )
        professionals: list[Row] = [
            {
                "prof_professional_id": str(user.id),
                "prof_staff_id": user.username,
                "prof_professional_name": user.display_name,
                "prof_professional_job_title": user.job_title or user.role.value.replace("_", " ").capitalize(),
                "prof_professional_caseload": int(caseload.get(user.id, 0)),
                "prof_professional_department": teams.get(user.team_id) if user.team_id else None,
            }
            for user in session.scalars(select(User).order_by(User.id))
        ]
        departments: list[Row] = [
            {"dept_team_id": str(team_id), "dept_team_name": name} for team_id, name in sorted(teams.items())
        ]
        return SsdExtract(
            {
                "ssd_person": persons,
                "ssd_contacts": contacts,
                "ssd_cin_episodes": episodes,
                "ssd_address": addresses,
                "ssd_disability": disabilities,
                "ssd_family": families,
                "ssd_linked_identifiers": identifiers,
                "ssd_involvements": involvements,
                "ssd_professionals": professionals,
                "ssd_department": departments,
                "ssd_early_help_episodes": early_help,
                "ssd_immigration_status": immigration,
            }
        )


def export_ssd(ctx: ServiceContext, folder: Path, since: date | None = None) -> SsdWritten:
    """Write every table's CSV into ``folder`` and say what was written."""
    today = london_date(ctx.now())
    start = since or default_since(today)
    extract = ssd_extract(ctx, start)
    audit_export(ctx, "export.ssd", {"folder": folder.name, "since": start.isoformat(), "until": today.isoformat()})
    rows = write_ssd(extract, folder)
    return SsdWritten(folder, start, today, rows)
