"""Outcome letters as PDF with reportlab platypus: a letterhead page template, numbered pages.

Output is byte-for-byte reproducible for the same data (``invariant=1``: no creation date or random
document id), so a letter on file can be regenerated and compared with its stored SHA-256.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mash_desk.domain.enums import Outcome
from mash_desk.letters import wording
from mash_desk.letters.model import (
    TEMPLATE_VERSION,
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    LetterData,
    Letterhead,
    ReferrerLetterData,
)

# Binary (not ASCII85) compressed streams: a quarter smaller and about 10% faster to write. Global
# reportlab configuration, set once at import so every letter in the process is made the same way.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FIRST_TOP = 46 * mm  # room for the letterhead on page one
LATER_TOP = 24 * mm
BOTTOM = 22 * mm

TEAL = colors.Color(21 / 255, 94 / 255, 117 / 255)
CORAL = colors.Color(226 / 255, 92 / 255, 66 / 255)
INK = colors.Color(0.13, 0.15, 0.17)
GREY = colors.Color(0.38, 0.40, 0.43)
RULE = colors.Color(0.80, 0.83, 0.85)
PALE_TEAL = colors.Color(0.925, 0.953, 0.961)
PALE_CORAL = colors.Color(0.992, 0.941, 0.925)
ROW_TINT = colors.Color(0.965, 0.972, 0.976)


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str


class _RememberedWidths(pdfmetrics.Font):  # type: ignore[misc]  # reportlab ships no type hints
    """A standard PDF font that remembers how wide each string it measured was.

    Line breaking measures the same words over and over, letter after letter: remembering the
    widths saves about a fifth of a letter's render time. Same face, same encoding, same output.
    """

    LIMIT = 100_000

    def __init__(self, name: str, face: str) -> None:
        super().__init__(name, face, pdfmetrics.getFont(face).encName)
        self._widths: dict[tuple[str, float, str], float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:  # noqa: N802 - reportlab's name
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            width = super().stringWidth(text, size, encoding)
            if len(self._widths) < self.LIMIT:
                self._widths[key] = width
        return float(width)


@lru_cache(maxsize=8)
def _register_fonts(regular: Path | None, bold: Path | None) -> _Fonts:
    """Helvetica (standard, not embedded, Latin-1) unless the letterhead names TrueType fonts; registered once."""
    if regular is None:
        fonts = _Fonts("MashDesk-Helvetica", "MashDesk-Helvetica-Bold")
        pdfmetrics.registerFont(_RememberedWidths(fonts.regular, "Helvetica"))
        pdfmetrics.registerFont(_RememberedWidths(fonts.bold, "Helvetica-Bold"))
        pdfmetrics.registerFontFamily(fonts.regular, normal=fonts.regular, bold=fonts.bold)
        return fonts
    regular_name = f"MashDesk-{regular.stem}"
    pdfmetrics.registerFont(TTFont(regular_name, str(regular)))
    bold_name = regular_name
    if bold is not None:
        bold_name = f"MashDesk-{bold.stem}"
        pdfmetrics.registerFont(TTFont(bold_name, str(bold)))
    pdfmetrics.registerFontFamily(regular_name, normal=regular_name, bold=bold_name)
    return _Fonts(regular_name, bold_name)


def _fonts_for(data: object, letterhead: Letterhead) -> _Fonts:
    """The letterhead's TrueType fonts when the letter needs them, else the standard Helvetica.

    Embedding a TrueType subset costs ~10 ms a letter, so a letter whose every word is Latin-1
    (most of them) keeps Helvetica; one naming Łukasz or Gülşen gets the TrueType font so the
    family's names print. The choice depends only on the letter's content: output stays reproducible.
    """
    try:
        f"{data!r}{letterhead!r}".encode("latin-1")
    except UnicodeEncodeError:
        return _register_fonts(letterhead.font_regular, letterhead.font_bold)
    return _register_fonts(None, None)


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    heading: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    box: ParagraphStyle


@lru_cache(maxsize=8)
def _styles(fonts: _Fonts) -> _Styles:
    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=10, leading=13.6, textColor=INK, alignment=TA_LEFT, spaceAfter=5
    )
    return _Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=12, spaceAfter=0),
        label=ParagraphStyle("label", parent=body, fontSize=8, leading=11, textColor=GREY, spaceAfter=0),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=fonts.bold, fontSize=13.5, leading=17, textColor=TEAL, spaceAfter=8
        ),
        section=ParagraphStyle(
            "section",
            parent=body,
            fontName=fonts.bold,
            fontSize=11,
            leading=14,
            textColor=TEAL,
            spaceBefore=8,
            spaceAfter=3,
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0),
        cell_head=ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=fonts.bold,
            fontSize=9,
            leading=11.5,
            textColor=colors.white,
            spaceAfter=0,
        ),
        box=ParagraphStyle("box", parent=body, fontSize=9.5, leading=13, spaceAfter=2),
    )


def _text(value: str) -> str:
    """Escape what people typed, so a name like "Smith & Sons <Ltd>" prints as typed."""
    return escape(value)


def _bold(value: str) -> str:
    return f"<b>{_text(value)}</b>"


@lru_cache(maxsize=4)
def _logo_prototype(path: Path, _mtime_ns: int) -> Any:
    """The logo decoded and compressed once (about a third of a letter's render time otherwise)."""
    image = pdfdoc.PDFImageXObject("MashDeskLogo", str(path), mask="auto")
    image.name = "MashDeskLogo"
    return image


def _draw_logo(canvas: Canvas, path: Path, x: float, y: float, size: float) -> None:
    """``Canvas.drawImage`` for the letterhead logo, reusing the encoded image between letters.

    Mirrors what drawImage does for a new image (register the XObject and its soft mask), with
    per-document copies of a cached prototype, so the output is byte-identical to drawImage's.
    """
    proto = _logo_prototype(path, path.stat().st_mtime_ns)
    image = copy.copy(proto)
    doc = canvas._doc
    reg_name = doc.getXObjectName(image.name)
    if doc.idToObject.get(reg_name) is None:
        canvas._setXObjects(image)
        doc.Reference(image, reg_name)
        doc.addForm(image.name, image)
        smask = getattr(proto, "_smask", None)
        if smask is not None:
            mask = copy.copy(smask)
            canvas._setXObjects(mask)
            image.smask = doc.Reference(mask, doc.getXObjectName(mask.name))
            del image._smask
    canvas._currentPageHasImages = 1
    scale = min(size / image.width, size / image.height)
    width, height = image.width * scale, image.height * scale
    canvas.saveState()
    canvas.translate(x + (size - width) / 2, y + (size - height) / 2)
    canvas.scale(width, height)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(image.name)


# --- page furniture -------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds pages back until the end so each can say "Page 2 of 3"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.page_font = "Helvetica"

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self.page_font, 8)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN, 11 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


@dataclass(frozen=True)
class _Furniture:
    letterhead: Letterhead
    fonts: _Fonts
    reference: str
    marking: str

    def first_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        head = self.letterhead
        canvas.saveState()
        top = PAGE_HEIGHT - 14 * mm
        text_x = MARGIN
        if head.logo is not None:
            _draw_logo(canvas, head.logo, MARGIN, top - 20 * mm, 20 * mm)
            text_x = MARGIN + 25 * mm
        canvas.setFillColor(TEAL)
        canvas.setFont(self.fonts.bold, 15)
        canvas.drawString(text_x, top - 8 * mm, head.organisation)
        canvas.setFillColor(GREY)
        canvas.setFont(self.fonts.regular, 8.5)
        canvas.drawString(text_x, top - 13.5 * mm, f"Telephone {head.phone}")
        canvas.drawString(text_x, top - 17.5 * mm, head.email)
        right = PAGE_WIDTH - MARGIN
        lines = [*head.address_lines, f"Out of hours {head.out_of_hours_phone}"]
        y = top - 2.5 * mm
        for line in lines:
            canvas.drawRightString(right, y, line)
            y -= 3.9 * mm
        rule_y = PAGE_HEIGHT - 39 * mm
        canvas.setStrokeColor(TEAL)
        canvas.setLineWidth(1)
        canvas.line(MARGIN, rule_y, right, rule_y)
        canvas.setStrokeColor(CORAL)
        canvas.setLineWidth(2.5)
        canvas.line(MARGIN, rule_y, MARGIN + 22 * mm, rule_y)
        canvas.restoreState()
        self._footer(canvas)

    def later_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        y = PAGE_HEIGHT - 14 * mm
        canvas.setFillColor(TEAL)
        canvas.setFont(self.fonts.bold, 9)
        canvas.drawString(MARGIN, y, self.letterhead.organisation)
        canvas.setFillColor(GREY)
        canvas.setFont(self.fonts.regular, 8.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, f"Reference {self.reference} (continued)")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, y - 3 * mm, PAGE_WIDTH - MARGIN, y - 3 * mm)
        canvas.restoreState()
        self._footer(canvas)

    def _footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, 15 * mm, PAGE_WIDTH - MARGIN, 15 * mm)
        canvas.setFillColor(GREY)
        canvas.setFont(self.fonts.regular, 8)
        canvas.drawString(MARGIN, 11 * mm, f"Reference {self.reference}   ·   {self.marking}")
        canvas.page_font = self.fonts.regular
        canvas.restoreState()


def _keep_headings(story: list[Flowable], heading: ParagraphStyle) -> list[Flowable]:
    """Keep each section heading on the same page as what follows it.

    A heading and its first paragraph become one unsplittable panel (wrapped once, unlike
    ``keepWithNext``, which wraps both twice); a heading before a table keeps ``keepWithNext``.
    """
    kept: list[Flowable] = []
    index = 0
    while index < len(story):
        item = story[index]
        following = story[index + 1] if index + 1 < len(story) else None
        if isinstance(item, Paragraph) and item.style is heading:
            if isinstance(following, Paragraph):
                kept.append(
                    _Panel([item, following], space_before=heading.spaceBefore, space_after=following.getSpaceAfter())
                )
                index += 2
                continue
            item.keepWithNext = 1
        kept.append(item)
        index += 1
    return kept


def _build(
    story: list[Flowable],
    letterhead: Letterhead,
    fonts: _Fonts,
    *,
    reference: str,
    marking: str,
    title: str,
) -> bytes:
    furniture = _Furniture(letterhead, fonts, reference, marking)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=LATER_TOP,
        bottomMargin=BOTTOM,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.regular,
        title=title,
        author=letterhead.organisation,
        subject=f"Reference {reference}",
        creator=f"MASH Desk letters {TEMPLATE_VERSION}",
        producer="MASH Desk",
    )
    first = Frame(
        MARGIN,
        BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - FIRST_TOP - BOTTOM,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = Frame(
        MARGIN,
        BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - LATER_TOP - BOTTOM,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[first], onPage=furniture.first_page),
            PageTemplate(id="later", frames=[later], onPage=furniture.later_page),
        ]
    )
    doc.build([NextPageTemplate("later"), *_keep_headings(story, _styles(fonts).section)], canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


# --- building blocks ------------------------------------------------------------------------------


class _KeyValues(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The reference block beside the address: grey labels, values wrapped by width, no markup to parse."""

    LABEL_WIDTH = 26 * mm
    LEADING = 12.8

    def __init__(self, rows: list[tuple[str, str]], fonts: _Fonts) -> None:
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


def _address_block(styles: _Styles, fonts: _Fonts, recipient: list[str], facts: CaseFacts, *, marking: str) -> Table:
    address = Paragraph(
        "<br/>".join([f'<font size="8" color="#60666e">{_text(marking.upper())}</font>', *map(_text, recipient)]),
        styles.body,
    )
    contact = facts.contact
    meta_rows = [
        ("Our reference", facts.reference),
        ("Date", wording.format_date(facts.letter_date)),
        ("Please ask for", contact.name),
        ("Telephone", contact.phone),
    ]
    if contact.email:
        meta_rows.append(("E-mail", contact.email))
    return Table(
        [[address, _KeyValues(meta_rows, fonts)]],
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


def _table(styles: _Styles, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
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


class _Panel(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
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


def _box(styles: _Styles, title: str, lines: Iterable[str], *, tint: colors.Color, edge: colors.Color) -> Flowable:
    title_style = ParagraphStyle("box_title", parent=styles.section, spaceBefore=0, textColor=edge)
    return _Panel(
        [Paragraph(_text(title), title_style), *[Paragraph(line, styles.box) for line in lines]],
        tint=tint,
        edge=edge,
        padding=(7, 10, 5, 11),
        space_before=6,
        space_after=8,
    )


def _contact_box(styles: _Styles, facts: CaseFacts) -> Flowable:
    contact = facts.contact
    who = ", ".join(_text(part) for part in (contact.job_title, contact.team) if part)
    reach = [f"Telephone <b>{_text(contact.phone)}</b>"]
    if contact.email:
        reach.append(f"e-mail {_text(contact.email)}")
    lines = [
        f"{_bold(contact.name)}{', ' + who if who else ''}",
        f"{' · '.join(reach)} · please quote reference <b>{_text(facts.reference)}</b>",
    ]
    return _box(styles, "Who to contact", lines, tint=PALE_TEAL, edge=TEAL)


def _sign_off(styles: _Styles, facts: CaseFacts, letterhead: Letterhead) -> Flowable:
    contact = facts.contact
    role = ", ".join(part for part in (contact.job_title, contact.team) if part)
    lines = [_bold(contact.name), *([_text(role)] if role else []), _text(letterhead.organisation)]
    return _Panel(
        [Paragraph("Yours sincerely,", styles.body), Spacer(1, 6 * mm), Paragraph("<br/>".join(lines), styles.body)],
        space_before=2 * mm,
    )


def _child_names(children: tuple[ChildOutcome, ...], *, given_only: bool = False) -> str:
    names = [child.given_names if given_only else child.name for child in children]
    if len(names) > 3:
        return f"{len(names)} children"
    return wording.join_words(names)


def _dob(child: ChildOutcome) -> str:
    return wording.format_date(child.date_of_birth) if child.date_of_birth else "Not known"


def _per_outcome(children: tuple[ChildOutcome, ...], text: Callable[[ChildOutcome], str]) -> list[str]:
    """One paragraph per distinct outcome, naming the children it applies to when they differ."""
    groups: dict[tuple[Outcome, str | None], list[ChildOutcome]] = {}
    for child in children:
        groups.setdefault((child.outcome, child.team), []).append(child)
    if len(groups) == 1:
        return [_text(text(children[0]))]
    return [
        f"<b>{_text(wording.join_words([c.given_names for c in group]))}:</b> {_text(text(group[0]))}"
        for group in groups.values()
    ]


def _worried_box(styles: _Styles, letterhead: Letterhead, facts: CaseFacts, *, professional: bool) -> Flowable:
    again = (
        f"If you have new information, or your concerns continue or grow, contact the MASH again on "
        f"{_text(letterhead.phone)} (Monday to Friday, 9am to 5pm) and quote reference {_text(facts.reference)}."
    )
    if professional:
        again += " Please also follow your own agency's safeguarding procedures."
    return _box(
        styles,
        "If you are still worried",
        [
            again,
            "Evenings, weekends and bank holidays: call the out-of-hours team on "
            f"<b>{_text(letterhead.out_of_hours_phone)}</b>.",
            "<b>If a child is in immediate danger, call 999.</b>",
        ],
        tint=PALE_CORAL,
        edge=CORAL,
    )


# --- the letters ----------------------------------------------------------------------------------


def render_referrer_letter(data: ReferrerLetterData, letterhead: Letterhead) -> bytes:
    """The outcome letter to the referrer, as PDF bytes."""
    fonts = _fonts_for(data, letterhead)
    styles = _styles(fonts)
    facts = data.facts
    recipient = [
        part for part in (data.recipient_name, data.recipient_role, data.recipient_agency, data.recipient_email) if part
    ] or ["The person who contacted the MASH"]
    if data.recipient_name:
        greeting = f"Dear {data.recipient_name},"
    else:
        greeting = "Dear colleague," if data.professional else "Dear Sir or Madam,"
    received, decided = wording.format_date(facts.received_on), wording.format_date(facts.decided_on)
    story: list[Flowable] = [
        _address_block(styles, fonts, recipient, facts, marking="Official – sensitive"),
        Spacer(1, 7 * mm),
        Paragraph(_text(greeting), styles.body),
        Paragraph(f"The outcome of your contact about {_text(_child_names(facts.children))}", styles.heading),
    ]
    if data.professional:
        steps = wording.steps_taken(facts.screened, facts.agencies_checked, facts.authorised_by_manager, decided)
        story.append(
            Paragraph(
                f"Thank you for your contact to the Multi-Agency Safeguarding Hub (MASH), which we received on "
                f"<b>{received}</b>. {steps} "
                "This letter tells you what was decided for each child, what happens next and whether you have a "
                "continuing role.",
                styles.body,
            )
        )
        story.append(Paragraph("Our decision", styles.section))
        rows = [
            [
                _bold(child.name),
                _text(_dob(child)),
                _text(wording.DECISION_FOR_PROFESSIONAL[child.outcome]),
                _text(wording.next_step_for_professional(child.outcome, child.team, child.team_accepted)),
            ]
            for child in facts.children
        ]
        story.append(
            _table(
                styles,
                ["Child", "Date of birth", "Decision", "What happens next"],
                rows,
                [38 * mm, 28 * mm, 50 * mm, CONTENT_WIDTH - 116 * mm],
            )
        )
        story.append(Paragraph("Your role", styles.section))
        story += [
            Paragraph(line, styles.body)
            for line in _per_outcome(facts.children, lambda c: wording.ROLE_FOR_PROFESSIONAL[c.outcome])
        ]
    else:
        story.append(
            Paragraph(
                f"Thank you for telling the Multi-Agency Safeguarding Hub (MASH) about your worries on "
                f"<b>{received}</b>. We looked carefully at what you told us and made a decision on "
                f"<b>{decided}</b>. It is always right to tell us when you are worried about a child.",
                styles.body,
            )
        )
        story.append(Paragraph("Our decision", styles.section))
        rows = [[_bold(child.name), _text(wording.decision_for_public(child.outcome))] for child in facts.children]
        story.append(_table(styles, ["Child", "What we decided"], rows, [50 * mm, CONTENT_WIDTH - 50 * mm]))
        story.append(
            Paragraph(
                "To protect the family's privacy we cannot tell you more about what happens next.",
                styles.body,
            )
        )
    story += [
        _contact_box(styles, facts),
        _worried_box(styles, letterhead, facts, professional=data.professional),
        _sign_off(styles, facts, letterhead),
    ]
    return _build(
        story,
        letterhead,
        fonts,
        reference=facts.reference,
        marking="OFFICIAL-SENSITIVE",
        title=f"Outcome letter to the referrer, {facts.reference}",
    )


def render_family_letter(data: FamilyLetterData, letterhead: Letterhead) -> bytes:
    """The outcome letter to the child's parent or carer, as PDF bytes (it cannot name the referrer)."""
    fonts = _fonts_for(data, letterhead)
    styles = _styles(fonts)
    facts = data.facts
    first_names = _child_names(facts.children, given_only=True)
    recipient = [data.recipient_name or f"The parent or carer of {first_names}", *data.address_lines]
    greeting = f"Dear {data.recipient_name}," if data.recipient_name else "Dear parent or carer,"
    who = "a professional who works with your family" if data.raised_by_professional else "someone"
    received, decided = wording.format_date(facts.received_on), wording.format_date(facts.decided_on)
    concerns = [wording.CONCERN_FOR_FAMILY[concern] for concern in data.concerns]
    story: list[Flowable] = [
        _address_block(styles, fonts, recipient, facts, marking="Private and confidential"),
        Spacer(1, 7 * mm),
        Paragraph(_text(greeting), styles.body),
        Paragraph(f"Our decision about {_text(first_names)}", styles.heading),
        Paragraph(
            f"We are writing to let you know that on <b>{received}</b>, {who} contacted the Multi-Agency "
            f"Safeguarding Hub (MASH) because they were worried about {_text(first_names)}. The MASH is where "
            "children's social care works with the police, health, schools and other services to decide how best "
            "to help children and families.",
            styles.body,
        ),
        Paragraph("What the worry was about", styles.section),
        Paragraph(
            f"The worries were about {_text(wording.join_words(concerns))}."
            if concerns
            else "The worries were about your child's wellbeing.",
            styles.body,
        ),
        Paragraph("What we decided", styles.section),
        Paragraph(f"We made our decision on <b>{decided}</b>.", styles.body),
        _table(
            styles,
            ["Child", "What we decided"],
            [[_bold(child.name), _text(wording.DECISION_FOR_FAMILY[child.outcome])] for child in facts.children],
            [50 * mm, CONTENT_WIDTH - 50 * mm],
        ),
        Paragraph("What support is offered", styles.section),
        *[
            Paragraph(line, styles.body)
            for line in _per_outcome(facts.children, lambda c: wording.support_for_family(c.outcome, c.team))
        ],
        Paragraph("How we used and shared your information", styles.section),
        *[
            Paragraph(_text(line), styles.body)
            for line in wording.sharing_for_family(
                data.sharing.consent, data.sharing.override, data.sharing.override_basis, data.sharing.agencies_asked
            )
        ],
        Paragraph("Your right to see your records", styles.section),
        Paragraph(
            "You have the right to ask for a copy of the information we hold about you and your children. This is "
            f"called a subject access request and it is free. E-mail {_text(letterhead.email)} or write to us at "
            "the address at the top of this letter.",
            styles.body,
        ),
        _contact_box(styles, facts),
        Paragraph("If you are unhappy with what we did", styles.section),
        Paragraph(
            f"Please talk to {_text(facts.contact.name)} first: most problems can be sorted out quickly. If you are "
            f"still unhappy, you can make a complaint to {_text(letterhead.organisation)} by e-mail to "
            f"{_text(letterhead.complaints_email or letterhead.email)} or by phone on "
            f"{_text(letterhead.complaints_phone or letterhead.phone)}. If you are not happy with the answer to your "
            "complaint, you can ask the Local Government and Social Care Ombudsman to look at it.",
            styles.body,
        ),
    ]
    language = (
        f"If you would like this letter in another language, in large print or read to you, please call "
        f"{_text(letterhead.phone)}."
    )
    if data.interpreter_needed and data.language:
        language += f" We will arrange an interpreter who speaks {_text(data.language)} for any meeting."
    elif data.interpreter_needed:
        language += " We will arrange an interpreter for any meeting."
    story += [
        Paragraph(language, styles.body),
        _box(
            styles,
            "If you are worried about a child's safety",
            [
                f"Call us on {_text(letterhead.phone)} (Monday to Friday, 9am to 5pm), or the out-of-hours team on "
                f"<b>{_text(letterhead.out_of_hours_phone)}</b> in the evening, at weekends and on bank holidays.",
                "<b>If a child is in immediate danger, call 999.</b>",
            ],
            tint=PALE_CORAL,
            edge=CORAL,
        ),
        _sign_off(styles, facts, letterhead),
    ]
    return _build(
        story,
        letterhead,
        fonts,
        reference=facts.reference,
        marking="Private and confidential",
        title=f"Letter to the family, {facts.reference}",
    )


def render_letter(data: LetterData, letterhead: Letterhead) -> bytes:
    """Whichever letter ``data`` describes."""
    if isinstance(data, FamilyLetterData):
        return render_family_letter(data, letterhead)
    return render_referrer_letter(data, letterhead)
