"""How the letters look: page size and margins, colours, fonts and paragraph styles.

Global reportlab configuration is set here, once at import, so every letter in the process is made
the same way (output is byte-for-byte reproducible for the same data).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mash_desk.letters.model import Letterhead
from mash_desk.letters.templates import LetterWording

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
class Fonts:
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
def register_fonts(regular: Path | None, bold: Path | None) -> Fonts:
    """Helvetica (standard, not embedded, Latin-1) unless the letterhead names TrueType fonts; registered once."""
    if regular is None:
        fonts = Fonts("MashDesk-Helvetica", "MashDesk-Helvetica-Bold")
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
    return Fonts(regular_name, bold_name)


def fonts_for(data: object, letterhead: Letterhead, wording: LetterWording) -> Fonts:
    """The letterhead's TrueType fonts when the letter needs them, else the standard Helvetica.

    Embedding a TrueType subset costs ~10 ms a letter, so a letter whose every word is Latin-1
    (most of them) keeps Helvetica; one naming Łukasz or Gülşen gets the TrueType font so the
    family's names print, and so does every letter of a council whose templates use letters
    Helvetica cannot print (Welsh ŵ, say). The choice depends only on the letter's content and
    wording: output stays reproducible.
    """
    try:
        f"{data!r}{letterhead!r}".encode("latin-1")
    except UnicodeEncodeError:
        return register_fonts(letterhead.font_regular, letterhead.font_bold)
    if not wording.standard_fonts_print_it:
        return register_fonts(letterhead.font_regular, letterhead.font_bold)
    return register_fonts(None, None)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    heading: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    box: ParagraphStyle


@lru_cache(maxsize=8)
def styles(fonts: Fonts) -> Styles:
    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=10, leading=13.6, textColor=INK, alignment=TA_LEFT, spaceAfter=5
    )
    return Styles(
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
