"""A person's chronology and contact history in words, built from the rows ``queries.fetch`` read."""

from __future__ import annotations

from datetime import datetime

from mash_desk.domain.chronology import EntryKind, parents_aware_sentence
from mash_desk.domain.enums import (
    AgencyRequestStatus,
    HandOffStatus,
    LevelOfNeed,
    NoteKind,
    PersonKind,
    Rag,
)
from mash_desk.domain.risk import CARER_PARTICIPATION_WORDS, GCP_AREA_WORDS, GCP_AREAS, DashLevel
from mash_desk.domain.thresholds import LEVEL_WORDS, OUTCOME_WORDS
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.words import channel_words, in_sentence, referral_source_words
from mash_desk.domain.words import code_words as phrase
from mash_desk.services.person_record.queries import (
    Fetched,
    Links,
    RequestRow,
)
from mash_desk.services.person_record.rows import (
    ChronologyRow,
    ContactHistoryRow,
)


def day_words(at: datetime | None) -> str:
    return f"{at.day} {at:%B %Y}" if at is not None else ""


def _return_words(r: RequestRow) -> str:
    if r.nothing_known:
        return f"{r.agency_name} returned: nothing known."
    if not r.visible:
        return f"{r.agency_name} returned information marked for its own eyes only: ask {r.agency_name}."
    return f"{r.agency_name} returned: {r.summary or ''}".rstrip()


def chronology_rows(rows: Fetched, links: Links, *, person_id: int, person_kind: PersonKind) -> list[ChronologyRow]:
    """Every entry, oldest first in the order things happen on a contact (the caller sorts newest first)."""
    n = rows.names
    ref = {c.id: c.reference for c in rows.contacts}
    out: list[ChronologyRow] = []

    def add(at: datetime, kind: EntryKind, contact_id: int | None, agency: str, who: str, what: str) -> None:
        out.append(ChronologyRow(at, kind, contact_id, ref.get(contact_id) if contact_id else None, agency, who, what))

    for c in rows.contacts:
        concerns = ", ".join(phrase(x).lower() for x in rows.concerns.get(c.id, ())) or "none recorded"
        source = referral_source_words(c.referral_source)
        named = (
            "as a child" if c.id in links.child else f"as {phrase(links.adult[c.id].relationship_to_children).lower()}"
        )
        add(
            c.received_at,
            EntryKind.CONTACT,
            c.id,
            c.referrer_agency or source,
            n.user(c.created_by_id),
            f"Contact received by {channel_words(c.channel)} from {in_sentence(source)}; named {named}. "
            f"Concerns: {concerns}. {parents_aware_sentence(c.parents_aware, c.parents_not_aware_reason)}".rstrip(),
        )
    for r in rows.rags:
        reason = f": {r.reason}" if r.reason else ""
        add(
            r.rated_at,
            EntryKind.RATING,
            r.contact_id,
            n.user_agency(r.rated_by_id),
            n.user(r.rated_by_id),
            f"Rated {Rag(r.rag).value.upper()}{reason}",
        )
    for q in rows.requests:
        add(
            q.requested_at,
            EntryKind.AGENCY,
            q.contact_id,
            q.agency_name,
            n.user(q.requested_by_id),
            f"Checks asked of {q.agency_name}.",
        )
        if q.status is AgencyRequestStatus.RETURNED and q.returned_at is not None:
            add(
                q.returned_at,
                EntryKind.AGENCY,
                q.contact_id,
                q.agency_name,
                q.agency_name,
                _return_words(q),
            )
        elif q.status is AgencyRequestStatus.WITHDRAWN:
            add(
                q.requested_at,
                EntryKind.AGENCY,
                q.contact_id,
                q.agency_name,
                n.user(q.requested_by_id),
                f"Checks asked of {q.agency_name} withdrawn.",
            )
    for d in rows.decisions:
        if person_kind is PersonKind.CHILD and d.person_id != person_id:
            continue  # a child's chronology: their own decisions, not their siblings'
        level = LEVEL_WORDS.get(LevelOfNeed(d.level_of_need), str(d.level_of_need))
        add(
            d.proposed_at,
            EntryKind.DECISION,
            d.contact_id,
            n.user_agency(d.proposed_by_id),
            n.user(d.proposed_by_id),
            f"Decision proposed for {d.given_names} {d.family_name}: {level}; {OUTCOME_WORDS[d.outcome]}. "
            f"Why: {d.rationale}",
        )
    for a in rows.authorisations:
        what = (
            "Decision authorised by the manager." if a.approved else f"Decision returned by the manager: {a.comments}"
        )
        add(
            a.decided_at, EntryKind.AUTHORISATION, a.contact_id, n.user_agency(a.manager_id), n.user(a.manager_id), what
        )
    for h in rows.hand_offs:
        team = n.team(h.team_id)
        add(
            h.sent_at,
            EntryKind.HAND_OFF,
            h.contact_id,
            n.user_agency(h.sent_by_id),
            n.user(h.sent_by_id),
            f"Handed off to {team}.",
        )
        if h.responded_at is not None:
            verdict = (
                "accepted the hand-off."
                if h.status is HandOffStatus.ACCEPTED
                else (f"rejected the hand-off: {h.rejection_reason}")
            )
            add(h.responded_at, EntryKind.HAND_OFF, h.contact_id, n.team_agency(h.team_id), team, f"{team} {verdict}")
    for c in rows.contacts:
        if c.closed_at is None:
            continue
        link = links.child.get(c.id)
        if link is not None and link.outcome is not None:
            level = f" ({LEVEL_WORDS[LevelOfNeed(link.level_of_need)]})" if link.level_of_need else ""
            what = f"Closed. Outcome: {OUTCOME_WORDS[link.outcome]}{level}."
        else:
            what = "Closed."
        add(c.closed_at, EntryKind.OUTCOME, c.id, n.user_agency(c.closed_by_id), n.user(c.closed_by_id), what)
    for note in rows.notes:
        label = {
            NoteKind.CASE_NOTE: "Case note",
            NoteKind.MANAGEMENT_OVERSIGHT: "Management oversight",
            NoteKind.CORRECTION: "Correction",
        }[note.kind]
        add(
            note.written_at,
            EntryKind.NOTE,
            note.contact_id,
            n.user_agency(note.author_id),
            n.user(note.author_id),
            f"{label}: {note.text}",
        )
    for g in rows.gcps:
        grades = "; ".join(f"{GCP_AREA_WORDS[area]} {getattr(g, area)}" for area in GCP_AREAS)
        review = f" Review due {day_words(g.review_on)}." if g.review_on else ""
        if g.carer_participation is not None:  # asked since GCP2s were recorded in the window
            carer = CARER_PARTICIPATION_WORDS[g.carer_participation]
            carer += " and consented" if g.carer_consent else " and did not consent"
        else:
            carer = "took part" if g.carer_consent else "did not take part"
        add(
            g.assessed_at,
            EntryKind.GCP2,
            g.contact_id,
            n.user_agency(g.assessor_id),
            n.user(g.assessor_id),
            f"Graded Care Profile 2 (1 best, 5 worst): {grades}. The carer {carer}.{review}",
        )
    for d in rows.dashes:
        judgement = " on professional judgement" if d.professional_judgement else ""
        marac = " (for MARAC)" if d.marac_referral else ""
        if d.marac_made_at is not None:
            marac += f". MARAC referral made {day_words(d.marac_made_at.astimezone(LONDON))}"
        add(
            d.assessed_at,
            EntryKind.DASH,
            d.contact_id,
            n.user_agency(d.assessed_by_id),
            n.user(d.assessed_by_id),
            f"DASH risk checklist: {d.yes_count} of 24 answered yes; "
            f"{DashLevel(d.level).value} risk{judgement}{marac}.",
        )
    return out


def contact_history(rows: Fetched, links: Links) -> tuple[ContactHistoryRow, ...]:
    """The contacts newest first, with the person's outcome on each."""
    history = []
    for c in rows.contacts:
        link = links.child.get(c.id)
        adult = links.adult.get(c.id)
        role = "child" if link is not None else phrase(adult.relationship_to_children).lower() if adult else ""
        history.append(
            ContactHistoryRow(
                contact_id=c.id,
                reference=c.reference,
                received_at=c.received_at,
                status=c.status,
                concerns=rows.concerns.get(c.id, ()),
                role=role,
                level_of_need=link.level_of_need if link is not None else None,
                outcome=link.outcome if link is not None else None,
            )
        )
    return tuple(sorted(history, key=lambda h: (h.received_at, h.contact_id), reverse=True))
