"""A contact's chronology: every dated thing that happened to it, oldest first, in words."""

from __future__ import annotations

from mash_desk.domain.chronology import parents_aware_sentence
from mash_desk.domain.enums import HandOffStatus
from mash_desk.domain.words import (
    channel_words,
    consent_words,
    in_sentence,
    level_words,
    note_kind_words,
    outcome_in_sentence,
    rag_words,
)
from mash_desk.services.contact_view.rows import (
    AgencyRequestView,
    AuthorisationRow,
    ChronologyEntry,
    ConsentRow,
    DecisionRow,
    HandOffView,
    NoteRow,
    RagRow,
)
from mash_desk.services.contact_view.statements import NamedRow


def chronology(
    contact: NamedRow,
    users: dict[int, str],
    rag_history: tuple[RagRow, ...],
    consents: tuple[ConsentRow, ...],
    requests: tuple[AgencyRequestView, ...],
    decisions: list[DecisionRow],
    authorisations: tuple[AuthorisationRow, ...],
    hand_offs: tuple[HandOffView, ...],
    notes: tuple[NoteRow, ...],
    *,
    requested_by: dict[int, str],
    closed_by: str,
) -> tuple[ChronologyEntry, ...]:
    entries = [
        ChronologyEntry(
            contact.received_at,
            f"Contact received by {channel_words(contact.channel)}. "
            f"{parents_aware_sentence(contact.parents_aware, contact.parents_not_aware_reason)}".strip(),
            users.get(contact.created_by_id, "?"),
        )
    ]
    entries += [
        ChronologyEntry(r.rated_at, f"Rated {rag_words(r.rag)}" + (f": {r.reason}" if r.reason else ""), r.rated_by)
        for r in rag_history
    ]
    entries += [
        ChronologyEntry(
            c.recorded_at,
            ("Sharing without consent authorised" if c.override else f"Consent {consent_words(c.status)}"),
            c.recorded_by,
        )
        for c in consents
    ]
    for r in requests:
        entries.append(ChronologyEntry(r.requested_at, f"Checks asked of {r.agency}", requested_by.get(r.id, "?")))
        if r.returned_at is not None:
            entries.append(
                ChronologyEntry(
                    r.returned_at, f"{r.agency} returned" + (" — nothing known" if r.nothing_known else ""), r.agency
                )
            )
    entries += [
        ChronologyEntry(
            d.proposed_at,
            f"Decision proposed for {d.child}: {in_sentence(level_words(d.level_of_need))}; "
            f"{outcome_in_sentence(d.outcome)}",
            d.proposed_by,
        )
        for d in decisions
    ]
    entries += [
        ChronologyEntry(a.decided_at, "Authorised" if a.approved else f"Returned: {a.comments}", a.manager)
        for a in authorisations
    ]
    for h in hand_offs:
        entries.append(ChronologyEntry(h.sent_at, f"Handed off to {h.team}", h.sent_by))
        entries += [ChronologyEntry(c.chased_at, f"Chased {h.team}: {c.note}", c.chased_by) for c in h.chases]
        if h.responded_at is not None:
            verdict = "accepted" if h.status is HandOffStatus.ACCEPTED else f"rejected: {h.rejection_reason}"
            entries.append(ChronologyEntry(h.responded_at, f"{h.team} {verdict}", h.team))
    entries += [ChronologyEntry(n.written_at, f"{note_kind_words(n.kind)}: {n.text}", n.author) for n in notes]
    if contact.closed_at is not None:
        entries.append(ChronologyEntry(contact.closed_at, "Closed", closed_by))
    return tuple(sorted(entries, key=lambda e: e.at))
