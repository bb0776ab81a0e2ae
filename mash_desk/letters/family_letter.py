"""The outcome letter to the child's parent or carer: plain words about their own children, how their
information was used, their rights and how to complain. The words are ``resources/letters/family.toml``.

Its data (``FamilyLetterData``) has no field that could carry the referrer's identity; a MARAC
letter never names domestic abuse nor the team (``wording.support_for_family``, the templates' check).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mash_desk.letters.blocks import address_block, bold, box, child_names, contact_box, per_outcome, sign_off, table
from mash_desk.letters.model import FamilyLetterData, Letterhead
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, CORAL, PALE_CORAL, fonts_for, styles
from mash_desk.letters.templates import LetterWording, key_of, load_wording
from mash_desk.letters.wording import format_date, join_markup, sharing_for_family, support_for_family

_WORDS = "family"


def render_family_letter(data: FamilyLetterData, letterhead: Letterhead, wording: LetterWording | None = None) -> bytes:
    """The outcome letter to the child's parent or carer, as PDF bytes (it cannot name the referrer)."""
    words = wording or load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    facts = data.facts

    def say(key: str, **values: object) -> Paragraph:
        return Paragraph(words.markup(f"{_WORDS}.{key}", **values), style.body)

    def section(key: str) -> Paragraph:
        return Paragraph(words.markup(f"{_WORDS}.{key}"), style.section)

    first_names = child_names(facts.children, words, given_only=True)
    recipient = [data.recipient_name or words.text(f"{_WORDS}.recipient_unknown", children=first_names)]
    greeting = say("greeting_named", name=data.recipient_name) if data.recipient_name else say("greeting_unnamed")
    who = words.markup(
        f"{_WORDS}.raised_by_professional" if data.raised_by_professional else f"{_WORDS}.raised_by_someone"
    )
    concerns = [words.markup(f"{_WORDS}.concern.{key_of(concern)}") for concern in data.concerns]
    decisions = [
        [bold(child.name), words.markup(f"{_WORDS}.decision.{key_of(child.outcome)}")] for child in facts.children
    ]
    support = per_outcome(facts.children, words, lambda c: support_for_family(words, c.outcome, c.team))
    contact = facts.contact
    story: list[Flowable] = [
        address_block(
            style,
            fonts,
            words,
            [*recipient, *data.address_lines],
            facts,
            marking=words.text(f"{_WORDS}.marking"),
        ),
        Spacer(1, 7 * mm),
        greeting,
        Paragraph(words.markup(f"{_WORDS}.heading", children=first_names), style.heading),
        say("intro", received=format_date(facts.received_on, words), who=who, children=first_names),
        section("worry_heading"),
        say("worry", concerns=join_markup(concerns, words)) if concerns else say("worry_unspecified"),
        section("decision_heading"),
        say("decided_on", decided=format_date(facts.decided_on, words)),
        table(style, list(words.items(f"{_WORDS}.table")), decisions, [50 * mm, CONTENT_WIDTH - 50 * mm]),
        section("support_heading"),
        *[Paragraph(line, style.body) for line in support],
        section("sharing_heading"),
        *[Paragraph(line, style.body) for line in sharing_for_family(words, data.sharing)],
        section("records_heading"),
        say("records", email=letterhead.email),
        contact_box(style, words, facts),
        section("complaint_heading"),
        say(
            "complaint",
            worker=contact.name,
            organisation=letterhead.organisation,
            email=letterhead.complaints_email or letterhead.email,
            phone=letterhead.complaints_phone or letterhead.phone,
        ),
        Paragraph(_language(words, letterhead, data), style.body),
        box(
            style,
            words.markup(f"{_WORDS}.safety.title"),
            [
                words.markup(
                    f"{_WORDS}.safety.call", phone=letterhead.phone, out_of_hours=letterhead.out_of_hours_phone
                ),
                words.markup(f"{_WORDS}.safety.danger"),
            ],
            tint=PALE_CORAL,
            edge=CORAL,
        ),
        sign_off(style, words, facts, letterhead),
    ]
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=facts.reference,
        marking=words.text(f"{_WORDS}.marking"),
        title=words.text(f"{_WORDS}.title", reference=facts.reference),
    )


def _language(words: LetterWording, letterhead: Letterhead, data: FamilyLetterData) -> str:
    """Other languages and formats on request, and the interpreter for any meeting."""
    language = words.markup(f"{_WORDS}.language", phone=letterhead.phone)
    if data.interpreter_needed and data.language:
        return f"{language} {words.markup(f'{_WORDS}.interpreter_language', language=data.language)}"
    if data.interpreter_needed:
        return f"{language} {words.markup(f'{_WORDS}.interpreter')}"
    return language
