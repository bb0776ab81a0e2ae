"""The printable chronology: ``person_chronology`` in words, on the hub's letterhead."""

from __future__ import annotations

from mash_desk.domain.chronology import KIND_WORDS, ChronologyFilter
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.validation import format_nhs_number
from mash_desk.letters.chronology import ChronologyLine, ChronologyPrint, render_chronology
from mash_desk.services.context import ServiceContext
from mash_desk.services.letters.reading import load_letterhead
from mash_desk.services.person_record.record import PersonChronology, person_chronology


def filter_words(keep: ChronologyFilter) -> str:
    """The filter in a phrase, printed so a reader knows what was left out."""
    if not keep.narrowed:
        return "All entries"
    parts = []
    if keep.kinds:
        parts.append(", ".join(sorted(KIND_WORDS[k] for k in keep.kinds)))
    if keep.agencies:
        parts.append("from " + ", ".join(sorted(keep.agencies)))
    if keep.since and keep.until:
        parts.append(f"{keep.since:%d %b %Y} to {keep.until:%d %b %Y}")
    elif keep.since:
        parts.append(f"from {keep.since:%d %b %Y}")
    elif keep.until:
        parts.append(f"up to {keep.until:%d %b %Y}")
    return "Only " + "; ".join(parts)


def chronology_print(found: PersonChronology) -> ChronologyPrint:
    person = found.person
    if person.date_of_birth is not None:
        born = f"{person.date_of_birth:%d %b %Y}"
    elif person.expected_date_of_birth is not None:
        born = f"expected {person.expected_date_of_birth:%d %b %Y}"
    else:
        born = "not known"
    identifiers = [f"NHS number {format_nhs_number(person.nhs_number)}"] if person.nhs_number else []
    if person.first_language:
        interpreter = " (interpreter needed)" if person.interpreter_needed else ""
        identifiers.append(f"First language {person.first_language}{interpreter}")
    return ChronologyPrint(
        person_reference=f"Person {person.person_id}",
        name=person.name,
        born=born,
        identifiers=tuple(identifiers),
        filter_words=filter_words(found.keep),
        lines=tuple(
            ChronologyLine(row.at, KIND_WORDS[row.kind], row.reference, row.agency, row.who, row.what)
            for row in found.rows
        ),
        total=found.total,
        printed_by=found.printed_by,
        printed_at=found.printed_at.astimezone(LONDON),
    )


def print_chronology(ctx: ServiceContext, person_id: int, keep: ChronologyFilter | None = None) -> bytes:
    """The person's chronology (filtered by ``keep``) as a PDF on the letterhead; audited as read."""
    found = person_chronology(ctx, person_id, keep)
    with ctx.unit() as (session, _actor):
        letterhead = load_letterhead(session)
    return render_chronology(chronology_print(found), letterhead)
