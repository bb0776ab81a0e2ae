"""The MARAC referral for the MARAC coordinator: the DASH answers exactly as recorded (never
retyped), the victim, the alleged perpetrator(s) and the children in the household.

A MARAC referral never replaces the child's own safeguarding route, and it says so: the contact
stays with the MASH. Marked "OFFICIAL – SENSITIVE" on every page, on the hub's letterhead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mash_desk.domain.risk import DASH_TOPICS, DashLevel, dash_level_for
from mash_desk.letters.blocks import bold, box, table, text
from mash_desk.letters.model import Letterhead
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, CORAL, PALE_CORAL, PALE_TEAL, TEAL, fonts_for, styles
from mash_desk.letters.templates import Markup, load_wording

MARKING = "OFFICIAL – SENSITIVE"
ANSWER_WORDS = {True: "Yes", False: "No", None: "Not known"}
LEVEL_WORDS = {DashLevel.STANDARD: "standard", DashLevel.MEDIUM: "medium", DashLevel.HIGH: "high"}


@dataclass(frozen=True)
class MaracPerson:
    name: str
    date_of_birth: date | None = None
    detail: str = ""  # how they are connected: "mother", "named on the contact", ...


@dataclass(frozen=True)
class MaracReferralData:
    """What a MARAC referral says, gathered by the service from the saved records."""

    reference: str  # the contact's reference
    dash_id: int
    referred_on: date
    referrer_name: str
    referrer_role: str
    referrer_agency: str
    referrer_phone: str
    referrer_email: str
    assessed_by: str
    assessed_at: datetime  # local (UK) time, as printed
    victim: MaracPerson | None
    address: tuple[str, ...]
    perpetrators: tuple[MaracPerson, ...]
    children: tuple[MaracPerson, ...]
    answers: tuple[bool | None, ...]
    yes_count: int
    level: DashLevel
    professional_judgement: bool
    judgement_reason: str | None


def _born(person: MaracPerson) -> str:
    return f"{person.date_of_birth:%d/%m/%Y}" if person.date_of_birth else "not known"


def _age(born: date | None, on: date) -> str:
    if born is None:
        return ""
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return str(max(years, 0))


def render_marac_referral(data: MaracReferralData, letterhead: Letterhead) -> bytes:
    """The referral as PDF bytes, reproducible for the same data."""
    words = load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    story: list[Flowable] = [
        Paragraph(bold(MARKING), style.small),
        Spacer(1, 2 * mm),
        Paragraph(text(f"MARAC referral — contact {data.reference}"), style.heading),
        Paragraph(
            text(
                f"Referred on {data.referred_on:%d %B %Y} by {data.referrer_name}"
                + (f", {data.referrer_role}" if data.referrer_role else "")
                + f", {data.referrer_agency}."
            ),
            style.body,
        ),
        Paragraph(
            text(
                "Contact: " + "; ".join(part for part in (data.referrer_phone, data.referrer_email) if part)
                if data.referrer_phone or data.referrer_email
                else "Contact the MASH on the number above, quoting the reference."
            ),
            style.small,
        ),
        box(
            style,
            Markup(text("This referral does not replace the children's safeguarding referral")),
            [
                text(
                    f"Contact {data.reference} stays with the MASH, which decides what happens for each child. "
                    "The MARAC plans for the adult victim's safety alongside it."
                )
            ],
            tint=PALE_TEAL,
            edge=TEAL,
        ),
        Paragraph("Why this is referred to MARAC", style.section),
        Paragraph(_why(data), style.body),
    ]
    if data.professional_judgement and data.judgement_reason:
        story.append(
            box(
                style,
                Markup(text("Professional judgement")),
                [text(data.judgement_reason)],
                tint=PALE_CORAL,
                edge=CORAL,
            )
        )
    story += [Paragraph("The adult victim", style.section)]
    if data.victim is not None:
        story.append(
            table(
                style,
                ["Name", "Date of birth", "Address"],
                [[text(data.victim.name), _born(data.victim), text(", ".join(data.address) or "not recorded")]],
                [CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.5],
            )
        )
    else:
        story.append(Paragraph(text("The victim was not named on the DASH record; see the contact."), style.body))
    story.append(
        Paragraph("Alleged perpetrator" if len(data.perpetrators) == 1 else "Alleged perpetrators", style.section)
    )
    if data.perpetrators:
        story.append(
            table(
                style,
                ["Name", "Date of birth", "Connection to the children"],
                [[text(p.name), _born(p), text(p.detail)] for p in data.perpetrators],
                [CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.5],
            )
        )
    else:
        story.append(Paragraph(text("No alleged perpetrator is named on the contact."), style.body))
    story.append(Paragraph("Children in the household", style.section))
    if data.children:
        story.append(
            table(
                style,
                ["Name", "Date of birth", "Age", "Known to the MASH as"],
                [
                    [text(c.name), _born(c), _age(c.date_of_birth, data.referred_on), text(c.detail)]
                    for c in data.children
                ],
                [CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.18, CONTENT_WIDTH * 0.1, CONTENT_WIDTH * 0.42],
            )
        )
    else:
        story.append(Paragraph(text("No child is recorded in the household."), style.body))
    story += [
        Paragraph("The DASH risk checklist, as recorded", style.section),
        Paragraph(
            text(
                f"Completed by {data.assessed_by} on {data.assessed_at:%d/%m/%Y at %H:%M} "
                f"(DASH record {data.dash_id}). {data.yes_count} of {len(DASH_TOPICS)} answered yes."
            ),
            style.small,
        ),
        table(
            style,
            ["No.", "About", "Answer"],
            [
                [str(number), text(topic), bold(ANSWER_WORDS[answer]) if answer else ANSWER_WORDS[answer]]
                for number, (topic, answer) in enumerate(zip(DASH_TOPICS, data.answers, strict=True), start=1)
            ],
            [CONTENT_WIDTH * 0.08, CONTENT_WIDTH * 0.72, CONTENT_WIDTH * 0.2],
        ),
    ]
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=data.reference,
        marking=MARKING,
        title=f"MARAC referral {data.reference}",
    )


def _why(data: MaracReferralData) -> str:
    level = LEVEL_WORDS[data.level]
    if data.professional_judgement:
        return text(
            f"The DASH scored {data.yes_count} (on its own, {_score_level(data.yes_count)} risk); the practitioner "
            f"rated the risk {level} on professional judgement, for the reason below."
        )
    return text(f"The DASH scored {data.yes_count}: {level} risk (14 or more yes answers).")


def _score_level(yes_count: int) -> str:
    return LEVEL_WORDS[dash_level_for(yes_count)]
