"""Page furniture: the letterhead on page one, a running head after it, the footer with the marking
and "Page 2 of 3", and the document itself (``build``).

Output is byte-for-byte reproducible for the same data (``invariant=1``: no creation date or random
document id), so a letter on file can be regenerated and compared with its stored SHA-256.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate, Paragraph

from mash_desk.letters.blocks import Panel
from mash_desk.letters.model import Letterhead
from mash_desk.letters.style import (
    BOTTOM,
    CONTENT_WIDTH,
    CORAL,
    FIRST_TOP,
    GREY,
    LATER_TOP,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    TEAL,
    Fonts,
    styles,
)
from mash_desk.letters.templates import LetterWording


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


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds pages back until the end so each can say "Page 2 of 3"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.page_font = "Helvetica"
        self.page_number = "Page $page of $pages"  # the template's, set with the font by each page's footer

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self.page_font, 8)
            self.setFillColor(GREY)
            number = Template(self.page_number).substitute(page=self._pageNumber, pages=total)
            self.drawRightString(PAGE_WIDTH - MARGIN, 11 * mm, number)
            super().showPage()
        super().save()


@dataclass(frozen=True)
class _Furniture:
    letterhead: Letterhead
    fonts: Fonts
    wording: LetterWording
    reference: str
    marking: str
    running_title: str | None = None  # a document named by its title: shown as is, not as "Reference ..."

    def _continued(self) -> str:
        if self.running_title is not None:
            return f"{self.running_title} (continued)"
        return self.wording.text("common.page.continued", reference=self.reference)

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
        canvas.drawString(text_x, top - 13.5 * mm, self.wording.text("common.page.telephone", phone=head.phone))
        canvas.drawString(text_x, top - 17.5 * mm, head.email)
        right = PAGE_WIDTH - MARGIN
        lines = [*head.address_lines, self.wording.text("common.page.out_of_hours", phone=head.out_of_hours_phone)]
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
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, self._continued())
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
        if self.running_title is not None:
            footer = f"{self.running_title}   ·   {self.marking}"
        else:
            footer = self.wording.text("common.page.footer", reference=self.reference, marking=self.marking)
        canvas.drawString(MARGIN, 11 * mm, footer)
        canvas.page_font = self.fonts.regular
        canvas.page_number = self.wording.texts["common.page.number"]
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
                    Panel([item, following], space_before=heading.spaceBefore, space_after=following.getSpaceAfter())
                )
                index += 2
                continue
            item.keepWithNext = 1
        kept.append(item)
        index += 1
    return kept


def build(
    story: list[Flowable],
    letterhead: Letterhead,
    fonts: Fonts,
    wording: LetterWording,
    *,
    reference: str,
    marking: str,
    title: str,
    running_title: str | None = None,
) -> bytes:
    """The story on the letterhead. A letter about a case gives its ``reference`` ("Reference MASH-..." in
    the footer, in the council's words); a document that is not about one case (the partnership's pack)
    gives a ``running_title`` instead, shown as it is, since "Reference Partnership pack" reads wrongly."""
    furniture = _Furniture(letterhead, fonts, wording, reference, marking, running_title)
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
        subject=running_title or f"Reference {reference}",
        creator=f"MASH Desk letters {wording.version}",
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
    doc.build([NextPageTemplate("later"), *_keep_headings(story, styles(fonts).section)], canvasmaker=NumberedCanvas)
    return buffer.getvalue()
