"""The outcome letter to whoever made the contact: a professional's version, and a member of the public's
with less detail. The words are ``resources/letters/referrer.toml``."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mash_desk.letters.blocks import (
    address_block,
    bold,
    box,
    child_names,
    contact_box,
    date_of_birth,
    per_outcome,
    sign_off,
    table,
    text,
)
from mash_desk.letters.model import Letterhead, ReferrerLetterData
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, CORAL, PALE_CORAL, Styles, fonts_for, styles
from mash_desk.letters.templates import LetterWording, key_of, load_wording
from mash_desk.letters.wording import format_date, next_step_for_professional, steps_taken

_WORDS = "referrer"


def render_referrer_letter(
    data: ReferrerLetterData, letterhead: Letterhead, wording: LetterWording | None = None
) -> bytes:
    """The outcome letter to the referrer, as PDF bytes (in the letterhead's wording unless ``wording`` is given)."""
    words = wording or load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    facts = data.facts
    recipient = [
        part for part in (data.recipient_name, data.recipient_role, data.recipient_agency, data.recipient_email) if part
    ] or [words.text(f"{_WORDS}.recipient_unknown")]
    if data.recipient_name:
        greeting = words.markup(f"{_WORDS}.greeting_named", name=data.recipient_name)
    else:
        greeting = words.markup(f"{_WORDS}.greeting_professional" if data.professional else f"{_WORDS}.greeting_public")
    received, decided = format_date(facts.received_on, words), format_date(facts.decided_on, words)
    story: list[Flowable] = [
        address_block(style, fonts, words, recipient, facts, marking=words.text(f"{_WORDS}.address_marking")),
        Spacer(1, 7 * mm),
        Paragraph(greeting, style.body),
        Paragraph(words.markup(f"{_WORDS}.heading", children=child_names(facts.children, words)), style.heading),
    ]
    if data.professional:
        story += _for_a_professional(data, words, style, received, decided)
    else:
        story += _for_the_public(data, words, style, received, decided)
    story += [
        contact_box(style, words, facts),
        _still_worried(style, words, letterhead, data),
        sign_off(style, words, facts, letterhead),
    ]
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=facts.reference,
        marking=words.text(f"{_WORDS}.footer_marking"),
        title=words.text(f"{_WORDS}.title", reference=facts.reference),
    )


def _for_a_professional(
    data: ReferrerLetterData, words: LetterWording, style: Styles, received: str, decided: str
) -> list[Flowable]:
    facts = data.facts
    pro = f"{_WORDS}.professional"
    rows = [
        [
            bold(child.name),
            text(date_of_birth(child, words)),
            words.markup(f"{pro}.decision.{key_of(child.outcome)}"),
            next_step_for_professional(words, child.outcome, child.team, child.team_accepted),
        ]
        for child in facts.children
    ]
    roles = per_outcome(facts.children, words, lambda c: words.markup(f"{pro}.role.{key_of(c.outcome)}"))
    return [
        Paragraph(
            words.markup(f"{pro}.intro", received=received, steps=steps_taken(words, facts, decided)), style.body
        ),
        Paragraph(words.markup(f"{_WORDS}.decision_heading"), style.section),
        table(style, list(words.items(f"{pro}.table")), rows, [38 * mm, 28 * mm, 50 * mm, CONTENT_WIDTH - 116 * mm]),
        Paragraph(words.markup(f"{pro}.role_heading"), style.section),
        *[Paragraph(line, style.body) for line in roles],
    ]


def _for_the_public(
    data: ReferrerLetterData, words: LetterWording, style: Styles, received: str, decided: str
) -> list[Flowable]:
    public = f"{_WORDS}.public"
    rows = [
        [bold(child.name), words.markup(f"{public}.decision.{key_of(child.outcome)}")] for child in data.facts.children
    ]
    return [
        Paragraph(words.markup(f"{public}.intro", received=received, decided=decided), style.body),
        Paragraph(words.markup(f"{_WORDS}.decision_heading"), style.section),
        table(style, list(words.items(f"{public}.table")), rows, [50 * mm, CONTENT_WIDTH - 50 * mm]),
        Paragraph(words.markup(f"{public}.privacy"), style.body),
    ]


def _still_worried(style: Styles, words: LetterWording, letterhead: Letterhead, data: ReferrerLetterData) -> Flowable:
    worried = f"{_WORDS}.still_worried"
    again: str = words.markup(f"{worried}.again", phone=letterhead.phone, reference=data.facts.reference)
    if data.professional:
        again = f"{again} {words.markup(f'{worried}.professional')}"
    return box(
        style,
        words.markup(f"{worried}.title"),
        [
            again,
            words.markup(f"{worried}.out_of_hours", out_of_hours=letterhead.out_of_hours_phone),
            words.markup(f"{worried}.danger"),
        ],
        tint=PALE_CORAL,
        edge=CORAL,
    )
