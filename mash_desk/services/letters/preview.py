"""Letters as they would be, stored nowhere: a contact's letter before it is issued, and a sample
letter on the letterhead an administrator is editing.
"""

from __future__ import annotations

from datetime import date

from mash_desk.domain.enums import LetterRecipient, Outcome, Role
from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.periods import london_date
from mash_desk.letters import (
    CaseFacts,
    ChildOutcome,
    Letterhead,
    NamedContact,
    ReferrerLetterData,
    load_wording,
    render_letter,
)
from mash_desk.services.context import ServiceContext
from mash_desk.services.letters.reading import build_data, load_letterhead, parse_recipient
from mash_desk.services.policy import LetterheadFields, letterhead_config, validate_letterhead
from mash_desk.services.records import load_contact


def preview_letterhead(ctx: ServiceContext, fields: LetterheadFields) -> bytes:
    """A sample letter (invented people, never a real case) on the letterhead as an administrator is
    editing it, before it is saved; bad input raises ``InvalidInput`` as saving would."""
    clean = validate_letterhead(fields)
    with ctx.unit() as (session, actor):
        if actor.role is not Role.ADMIN:
            raise PermissionRefused("Only an administrator can preview letterhead changes.")
        letterhead = Letterhead.from_config(letterhead_config(session, clean))
        today = london_date(ctx.now())
    wording = load_wording(letterhead.templates)
    facts = CaseFacts(
        reference="MASH-0000000",
        received_on=today,
        decided_on=today,
        letter_date=today,
        children=(ChildOutcome("Sample", "Child", date(2018, 1, 1), Outcome.EARLY_HELP, "Early Help Team", True),),
        contact=NamedContact("A. Worker", "Social worker", "MASH Team", letterhead.phone, letterhead.email),
        screened=True,
        agencies_checked=True,
        authorised_by_manager=True,
    )
    sample = ReferrerLetterData(
        facts, True, "A. Referrer", "Designated safeguarding lead", "Sample Primary School", "referrer@example.org"
    )
    return render_letter(sample, letterhead, wording)


def preview_letter(ctx: ServiceContext, contact_id: int, recipient: LetterRecipient | str) -> bytes:
    """The PDF the letter would be if issued now; nothing is stored."""
    who = parse_recipient(recipient)
    today = london_date(ctx.now())
    with ctx.unit() as (session, actor):
        letterhead = load_letterhead(session)
        wording = load_wording(letterhead.templates)  # a broken template stops the letter first
        contact = load_contact(session, contact_id, actor, Action.ISSUE_LETTER)
        data = build_data(session, contact, who, letterhead, actor, today)
    return render_letter(data, letterhead, wording)
