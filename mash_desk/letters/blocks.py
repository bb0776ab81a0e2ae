"""The building blocks both letters are made of: the address and reference block, tables, tinted
panels, "Who to contact" and the sign-off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from mash_desk.domain.enums import Outcome
from mash_desk.letters.model import CaseFacts, ChildOutcome, Letterhead
from mash_desk.letters.style import CONTENT_WIDTH, GREY, INK, PALE_TEAL, ROW_TINT, RULE, TEAL, Fonts, Styles
from mash_desk.letters.templates import LetterWording, Markup
from mash_desk.letters.wording import format_date, join_words


def text(value: str) -> str:
    """Escape what people typed, so a name like "Smith & Sons <Ltd>" prints as typed."""
    return escape(value)


def bold(value: str) -> str:
    return f"<b>{text(value)}</b>"


class KeyValues(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The reference block beside the address: grey labels, values wrapped by width, no markup to parse."""

    LABEL_WIDTH = 26 * mm
    LEADING = 12.8

    def __init__(self, rows: list[tuple[str, str]], fonts: Fonts) -> None:
        super().__init__()
        self.rows, self.fonts = rows, fonts
        self._lines: list[tuple[str, list[str]]] = []

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        value_width = avail_width - self.LABEL_WIDTH
        self._lines = [(label, simpleSplit(value, self.fonts.regular, 9, value_width)) for label, value in self.rows]
        self.width = avail_width
        self.height = sum(max(1, len(lines)) for _label, lines in self._lines) * self.LEADING + 2
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - 9
        for label, lines in self._lines:
            canvas.setFont(self.fonts.regular, 8)
            canvas.setFillColor(GREY)
            canvas.drawString(0, y, label)
            canvas.setFont(self.fonts.regular, 9)
            canvas.setFillColor(INK)
            for line in lines or [""]:
                canvas.drawString(self.LABEL_WIDTH, y, line)
                y -= self.LEADING


def address_block(
    styles: Styles, fonts: Fonts, wording: LetterWording, recipient: list[str], facts: CaseFacts, *, marking: str
) -> Table:
    address = Paragraph(
        "<br/>".join([f'<font size="8" color="#60666e">{text(marking.upper())}</font>', *map(text, recipient)]),
        styles.body,
    )
    contact = facts.contact
    label = "common.reference_block"
    meta_rows = [
        (wording.text(f"{label}.our_reference"), facts.reference),
        (wording.text(f"{label}.date"), format_date(facts.letter_date, wording)),
        (wording.text(f"{label}.please_ask_for"), contact.name),
        (wording.text(f"{label}.telephone"), contact.phone),
    ]
    if contact.email:
        meta_rows.append((wording.text(f"{label}.email"), contact.email))
    return Table(
        [[address, KeyValues(meta_rows, fonts)]],
        colWidths=[CONTENT_WIDTH - 78 * mm, 78 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def table(styles: Styles, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data: list[list[object]] = [list(header)]  # short headings: plain strings, styled below
    data += [[Paragraph(cell, styles.cell) for cell in row] for row in rows]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), TEAL),
        ("FONT", (0, 0), (-1, 0), styles.cell_head.fontName, 9),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    commands += [("BACKGROUND", (0, row), (-1, row), ROW_TINT) for row in range(2, len(data), 2)]
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(commands), spaceBefore=2, spaceAfter=8)


class Panel(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Flowables stacked in a tinted panel with a coloured left edge; never split across pages.

    Cheaper than a one-cell table: each paragraph is wrapped once per frame, not again to draw.
    """

    def __init__(
        self,
        content: list[Flowable],
        *,
        tint: colors.Color | None = None,
        edge: colors.Color | None = None,
        padding: tuple[float, float, float, float] = (0, 0, 0, 0),  # top, right, bottom, left
        space_before: float = 0,
        space_after: float = 0,
    ) -> None:
        super().__init__()
        self.content = content
        self.tint, self.edge, self.padding = tint, edge, padding
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self._placed: list[tuple[Flowable, float]] = []

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        top, right, bottom, left = self.padding
        inner = avail_width - left - right
        self._placed = []
        height = top
        for index, item in enumerate(self.content):
            if index:
                height += item.getSpaceBefore()
            _w, h = item.wrap(inner, 10_000)
            self._placed.append((item, height))
            height += h
            if index < len(self.content) - 1:
                height += item.getSpaceAfter()
        self.width, self.height = avail_width, height + bottom
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.tint is not None:
            canvas.setFillColor(self.tint)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.edge is not None:
            canvas.setFillColor(self.edge)
            canvas.rect(0, 0, 3, self.height, stroke=0, fill=1)
        left = self.padding[3]
        for item, offset in self._placed:
            item.drawOn(canvas, left, self.height - offset - item.height)


def box(styles: Styles, title: Markup, lines: Iterable[str], *, tint: colors.Color, edge: colors.Color) -> Flowable:
    """A tinted panel with a coloured edge: a title and a few lines of markup."""
    title_style = ParagraphStyle("box_title", parent=styles.section, spaceBefore=0, textColor=edge)
    return Panel(
        [Paragraph(title, title_style), *[Paragraph(line, styles.box) for line in lines]],
        tint=tint,
        edge=edge,
        padding=(7, 10, 5, 11),
        space_before=6,
        space_after=8,
    )


def contact_box(styles: Styles, wording: LetterWording, facts: CaseFacts) -> Flowable:
    """ "Who to contact": the named worker, how to reach them, and the reference to quote."""
    contact = facts.contact
    words = "common.who_to_contact"
    who = ", ".join(text(part) for part in (contact.job_title, contact.team) if part)
    reach = [wording.markup(f"{words}.telephone", phone=contact.phone)]
    if contact.email:
        reach.append(wording.markup(f"{words}.email", email=contact.email))
    reach.append(wording.markup(f"{words}.quote", reference=facts.reference))
    lines = [f"{bold(contact.name)}{', ' + who if who else ''}", " · ".join(reach)]
    return box(styles, wording.markup(f"{words}.title"), lines, tint=PALE_TEAL, edge=TEAL)


def sign_off(styles: Styles, wording: LetterWording, facts: CaseFacts, letterhead: Letterhead) -> Flowable:
    contact = facts.contact
    role = ", ".join(part for part in (contact.job_title, contact.team) if part)
    lines = [bold(contact.name), *([text(role)] if role else []), text(letterhead.organisation)]
    return Panel(
        [
            Paragraph(wording.markup("common.sign_off.closing"), styles.body),
            Spacer(1, 6 * mm),
            Paragraph("<br/>".join(lines), styles.body),
        ],
        space_before=2 * mm,
    )


def child_names(children: tuple[ChildOutcome, ...], wording: LetterWording, *, given_only: bool = False) -> str:
    names = [child.given_names if given_only else child.name for child in children]
    if len(names) > 3:
        return wording.text("common.many_children", count=len(names))
    return join_words(names, wording)


def date_of_birth(child: ChildOutcome, wording: LetterWording) -> str:
    if child.date_of_birth:
        return format_date(child.date_of_birth, wording)
    return wording.text("common.date_of_birth_unknown")


def per_outcome(
    children: tuple[ChildOutcome, ...], wording: LetterWording, words: Callable[[ChildOutcome], Markup]
) -> list[str]:
    """One paragraph per distinct outcome, naming the children it applies to when they differ."""
    groups: dict[tuple[Outcome, str | None], list[ChildOutcome]] = {}
    for child in children:
        groups.setdefault((child.outcome, child.team), []).append(child)
    if len(groups) == 1:
        return [words(children[0])]
    return [
        f"<b>{text(join_words([c.given_names for c in group], wording))}:</b> {words(group[0])}"
        for group in groups.values()
    ]
