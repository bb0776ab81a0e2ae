"""What each part of the contact view says: a ``ContactDetail`` worded into labels and tables."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtWidgets import QLabel, QTableWidget

from mash_desk.domain.ages import child_age
from mash_desk.domain.enums import AgencyRequestStatus, Confidentiality, DecisionStatus, HandOffStatus, HousingTenure
from mash_desk.domain.validation import format_nhs_number
from mash_desk.gui.child_words import age_words
from mash_desk.gui.widgets import fill_table
from mash_desk.gui.words import (
    compact,
    day,
    enum_words,
    level_words,
    outcome_words,
    override_basis_words,
    parents_aware_words,
    primary_need_words,
    rag_words,
    referral_source_tip,
    referral_source_words,
    time_left_words,
    tr,
    when,
    yes_no,
)
from mash_desk.services.contact_view import ChildOnContact, ContactDetail, PersonRow


def born(person: PersonRow, today: date | None = None) -> str:
    """The birth date, and (given ``today``) the age the way a practitioner says it."""
    if person.date_of_birth is not None:
        text = tr("born {date}").format(date=day(person.date_of_birth))
        if today is not None:
            age = child_age(person.date_of_birth, None, today)
            text = tr("{age}, {born}").format(age=age_words(age), born=text)
        return text
    if person.expected_date_of_birth is not None:
        return tr("unborn, expected {date}").format(date=day(person.expected_date_of_birth))
    return tr("date of birth not known")


def child_decision(child: ChildOnContact, detail: ContactDetail) -> str:
    if child.outcome is not None:
        return tr("Authorised: {level}; {outcome}").format(
            level=level_words(child.level_of_need or 0), outcome=outcome_words(child.outcome)
        )
    if child.proposed is not None:
        return tr("Proposed by {who}: {level}; {outcome}").format(
            who=child.proposed.proposed_by,
            level=level_words(child.proposed.level_of_need),
            outcome=outcome_words(child.proposed.outcome),
        )
    latest = next((d for d in reversed(detail.decisions) if d.person_id == child.person.person_id), None)
    if latest is not None and latest.status is DecisionStatus.RETURNED:
        return tr("Returned by the manager: propose again")
    return tr("No decision yet")


def show_children(table: QTableWidget, detail: ContactDetail, today: date | None = None) -> None:
    rows = []
    for child in detail.children:
        person = child.person
        facts = []
        if person.nhs_number:
            facts.append(tr("NHS {number}").format(number=format_nhs_number(person.nhs_number)))
        if person.first_language or person.interpreter_needed:
            language = person.first_language or tr("language not known")
            facts.append(
                tr("{language} — INTERPRETER NEEDED").format(language=language)
                if person.interpreter_needed
                else language
            )
        if person.allocated_team:
            facts.append(tr("Known to {team}").format(team=person.allocated_team))
        rows.append([f"{person.name}\n{born(person, today)}", "\n".join(facts), child_decision(child, detail)])
    fill_table(table, [tr("Child"), tr("Known facts"), tr("Decision")], rows, empty=tr("No child named"))


def show_referral(labels: dict[str, QLabel], detail: ContactDetail) -> None:
    referrer = detail.referrer_name or tr("anonymous")
    parts = [referrer]
    parts += [p for p in (detail.referrer_role, detail.referrer_agency) if p]
    if detail.referrer_anonymity_requested:
        parts.append(tr("ASKED NOT TO BE NAMED to the family"))
    contact = ", ".join(p for p in (detail.referrer_phone, detail.referrer_email) if p)
    if contact:
        parts.append(contact)
    parts.append(tr("first-hand") if detail.referrer_first_hand else tr("third-party information"))
    labels["received_value"].setText(
        tr("{received} (typed in {recorded})").format(
            received=when(detail.received_at), recorded=when(detail.recorded_at)
        )
    )
    labels["channel_value"].setText(enum_words(detail.channel))
    labels["source_value"].setText(referral_source_words(detail.referral_source))
    labels["source_value"].setToolTip(referral_source_tip(detail.referral_source))
    labels["referrer_value"].setText(f"{enum_words(detail.referrer_kind)}: " + "; ".join(parts))
    labels["concerns_value"].setText(", ".join(enum_words(c) for c in detail.concerns) or tr("none recorded"))
    labels["whereabouts_value"].setText(detail.whereabouts or tr("not recorded"))
    aware = parents_aware_words(detail.parents_aware)
    if detail.parents_not_aware_reason:
        aware = tr("{answer}: {why}").format(answer=aware, why=detail.parents_not_aware_reason)
    labels["parents_aware_value"].setText(aware)
    labels["narrative_value"].setText(detail.narrative)


def show_household(label: QLabel, adults: QTableWidget, detail: ContactDetail) -> None:
    household = detail.household
    if household is None:
        label.setText(tr("No household recorded."))
    else:
        housing = [enum_words(household.tenure)]
        if household.temporary_accommodation and household.tenure is not HousingTenure.TEMPORARY:
            housing.append(tr("temporary accommodation"))
        if household.overcrowded:
            housing.append(tr("overcrowded"))
        if household.homeless:
            housing.append(tr("homeless"))
        address = ", ".join(p for p in (household.address, household.postcode) if p) or tr("address not known")
        notes = f"\n{household.housing_notes}" if household.housing_notes else ""
        label.setText(f"{address}\n{tr('Housing')}: {', '.join(housing)}{notes}")
    fill_table(
        adults,
        [tr("Adult"), tr("Relationship"), tr("Parental resp."), tr("Alleged harm"), tr("In contact")],
        [
            [
                adult.person.name,
                enum_words(adult.relationship),
                yes_no(adult.parental_responsibility),
                tr("Yes: alleged to harm") if adult.alleged_perpetrator else tr("no"),
                yes_no(adult.in_contact_with_child),
            ]
            for adult in detail.adults
        ],
        empty=tr("No adult recorded"),
    )


def show_rag_history(table: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    fill_table(
        table,
        [tr("Rating"), tr("When"), tr("By"), tr("Due"), tr("Reason")],
        [
            [rag_words(r.rag), compact(r.rated_at, now), r.rated_by, compact(r.due_at, now), r.reason or ""]
            for r in detail.rag_history
        ],
        empty=tr("Not rated yet"),
    )


def show_consent(label: QLabel, table: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    consent = detail.current_consent
    if consent is None:
        label.setText(tr("No consent decision recorded. Agency checks and hand-offs wait for it."))
    elif consent.override:
        basis = override_basis_words(consent.override_basis) if consent.override_basis else ""
        label.setText(
            tr("Shared WITHOUT consent, authorised by {manager}. Basis: {basis}. Reason: {reason}").format(
                manager=consent.override_authorised_by or "?", basis=basis, reason=consent.override_reason or ""
            )
        )
    else:
        given = ""
        if consent.given_by_name:
            who = consent.given_by_name
            if consent.given_by_relationship:
                who = f"{who} ({consent.given_by_relationship})"
            given = tr(" by {who}, {how} on {date}").format(
                who=who, how=consent.method or "", date=day(consent.obtained_on)
            )
        scope = ", ".join(consent.scope_names) or tr("all agencies")
        label.setText(
            tr("Consent {status}{given}. Covers: {scope}.").format(
                status=enum_words(consent.status).lower(), given=given, scope=scope
            )
        )
    fill_table(
        table,
        [tr("Recorded"), tr("By"), tr("Decision"), tr("Parent aware"), tr("Child's views")],
        [
            [
                compact(c.recorded_at, now),
                c.recorded_by,
                tr("override") if c.override else enum_words(c.status),
                yes_no(c.parent_aware) + (f" — {c.parent_not_aware_reason}" if c.parent_not_aware_reason else ""),
                c.child_views or "",
            ]
            for c in detail.consents
        ],
    )
    table.setVisible(len(detail.consents) > 1)


def show_agency_requests(table: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    rows = []
    for r in detail.agency_requests:
        if r.status is AgencyRequestStatus.OUTSTANDING:
            state = time_left_words(r.due_at, now)
            summary = r.question or ""
        elif r.status is AgencyRequestStatus.WITHDRAWN:
            state, summary = tr("withdrawn"), ""
        else:
            state = tr("returned {at}").format(at=compact(r.returned_at, now))
            if r.withheld:
                summary = tr("Withheld ({marking}): ask {agency} directly").format(
                    marking=enum_words(r.confidentiality).lower(), agency=r.agency
                )
            elif r.nothing_known:
                summary = tr("Nothing known")
            else:
                summary = r.summary or ""
            if r.confidentiality is not Confidentiality.SHAREABLE and not r.withheld:
                summary = f"[{enum_words(r.confidentiality)}] {summary}"
        rows.append([r.agency, compact(r.requested_at, now), compact(r.due_at, now), state, summary])
    fill_table(
        table,
        [tr("Agency"), tr("Asked"), tr("Due"), tr("State"), tr("Summary / question")],
        rows,
        empty=tr("No agency asked yet"),
    )


def show_decisions(label: QLabel, authorisations: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    """Each child's decisions, newest first: level, outcome, primary need, who, and the rationale in full."""
    paragraphs = []
    for d in reversed(detail.decisions):
        state = (
            tr("Returned by the manager")
            if d.status is DecisionStatus.RETURNED
            else tr("Replaced by a later proposal")
            if d.status is DecisionStatus.SUPERSEDED
            else enum_words(d.status)
        )
        paragraphs.append(
            "<p><b>{child}</b> — {level}; {outcome}; {need}.<br><i>{state}</i> · {by}<br>{rationale}</p>".format(
                child=escape(d.child),
                level=escape(level_words(d.level_of_need)),
                outcome=escape(outcome_words(d.outcome)),
                need=escape(primary_need_words(d.primary_need)),
                state=escape(state),
                by=escape(tr("proposed by {who}, {at}").format(who=d.proposed_by, at=compact(d.proposed_at, now))),
                rationale=escape(d.rationale),
            )
        )
    label.setText("".join(paragraphs) or escape(tr("No decision proposed yet.")))
    fill_table(
        authorisations,
        [tr("Manager"), tr("When"), tr("Verdict"), tr("Comments")],
        [
            [
                a.manager,
                compact(a.decided_at, now),
                tr("Authorised") if a.approved else tr("Returned"),
                a.comments or "",
            ]
            for a in detail.authorisations
        ],
    )
    authorisations.setVisible(bool(detail.authorisations))


def show_hand_offs(table: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    rows = []
    for h in detail.hand_offs:
        if h.status is HandOffStatus.PENDING:
            state = tr("waiting for acceptance — {left}").format(left=time_left_words(h.due_at, now))
        elif h.status is HandOffStatus.ACCEPTED:
            state = tr("accepted {at}").format(at=compact(h.responded_at, now))
        else:
            state = tr("Rejected {at}: {reason}").format(
                at=compact(h.responded_at, now), reason=h.rejection_reason or ""
            )
        rows.append([h.team, f"{h.sent_by}, {compact(h.sent_at, now)}", state, h.note or ""])
    fill_table(table, [tr("To"), tr("Sent"), tr("State"), tr("Note")], rows, empty=tr("Not handed off yet."))


def show_notes(label: QLabel, detail: ContactDetail, now: datetime) -> None:
    label.setText(
        "".join(
            "<p><b>{at} — {who}</b> ({kind})<br>{text}</p>".format(
                at=escape(compact(n.written_at, now)),
                who=escape(n.author),
                kind=escape(enum_words(n.kind).lower()),
                text=escape(n.text).replace("\n", "<br>"),
            )
            for n in detail.notes
        )
        or escape(tr("No notes yet."))
    )


def show_chronology(table: QTableWidget, detail: ContactDetail, now: datetime) -> None:
    fill_table(
        table,
        [tr("When"), tr("Who"), tr("What")],
        [[compact(e.at, now), e.who, e.what] for e in detail.chronology],
    )
