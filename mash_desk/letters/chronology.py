"""A child's chronology on paper: the letterhead as the letters use it, the person, the filter
applied, and every entry newest first, "OFFICIAL – SENSITIVE" on every page.

Plain frozen data in, PDF bytes out: no database, no Qt. The words are fixed English here (the
chronology is a professional record, not a letter to a family, so it has no council wording).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mash_desk.domain.timescales import LONDON
from mash_desk.letters.blocks import table
from mash_desk.letters.model import Letterhead
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, fonts_for, styles
from mash_desk.letters.templates import LetterWording, load_wording

MARKING = "OFFICIAL – SENSITIVE"


@dataclass(frozen=True)
class ChronologyLine:
    at: datetime
    kind: str
    reference: str | None
    agency: str
    who: str
    what: str


@dataclass(frozen=True)
class ChronologyPrint:
    """What the printed chronology says (every string already in words)."""

    person_reference: str
    """Printed in each page's footer and heading: "Person 123"."""
    name: str
    born: str
    identifiers: tuple[str, ...]
    filter_words: str
    """Which entries are printed ("All entries", or the agencies, kinds and period chosen)."""
    lines: tuple[ChronologyLine, ...]
    total: int
    printed_by: str
    printed_at: datetime


def _when(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local.day} {local:%b %Y %H:%M}"


def render_chronology(data: ChronologyPrint, letterhead: Letterhead, wording: LetterWording | None = None) -> bytes:
    """The chronology as PDF bytes."""
    words = wording or load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    facts = [f"Born: {data.born}", *data.identifiers]
    story: list[Flowable] = [
        Paragraph(escape(MARKING), style.label),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"Chronology: {data.name}"), style.heading),
        Paragraph(escape(" · ".join(facts)), style.body),
        Paragraph(
            escape(
                f"{data.filter_words}: {len(data.lines)} of {data.total} entries, newest first. "
                f"Printed by {data.printed_by} on {_when(data.printed_at)}."
            ),
            style.small,
        ),
        Spacer(1, 4 * mm),
    ]
    if data.lines:
        story.append(
            table(
                style,
                ["When", "What", "Contact", "Agency / by", "Entry"],
                [
                    [
                        escape(_when(line.at)),
                        escape(line.kind),
                        escape(line.reference or "—"),
                        escape(f"{line.agency} / {line.who}"),
                        escape(line.what),
                    ]
                    for line in data.lines
                ],
                [23 * mm, 26 * mm, 29 * mm, 30 * mm, CONTENT_WIDTH - 108 * mm],
            )
        )
    else:
        story.append(Paragraph("Nothing in the chronology matches the filter.", style.body))
    story.append(
        Paragraph(
            escape(
                "This chronology shows only what its reader may see: information an agency marked for its own "
                "eyes, and restricted records, are left out. It is a record of the MASH's work, not an assessment."
            ),
            style.small,
        )
    )
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=data.person_reference,
        marking=MARKING,
        title=f"Chronology — {data.name}",
    )
