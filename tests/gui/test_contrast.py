"""Both themes are readable: every text colour against every background it is drawn on reaches WCAG AA
(4.5:1), and the edges of fields and controls and every icon reach 3:1 against the field or window
they sit on (WCAG 2.2, 1.4.3 and 1.4.11).

The pairs are read from the style sheet itself (each rule's ``color`` against its ``background``), and
from what the item models and labels combine in code, so a new rule or a changed colour is checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mash_desk import paths
from mash_desk.gui.theme import DARK, LIGHT, Colours

TEXT = 4.5
GRAPHICS = 3.0
THEMES = {"light": LIGHT, "dark": DARK}


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG's definition)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_wcags_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast("#595959", "#ffffff") == pytest.approx(7.0, abs=0.01)


def style_rules() -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: token}) for every rule in the style sheet that names a colour token."""
    sheet = re.sub(r"/\*.*?\*/", "", (paths.resource() / "style.qss").read_text(encoding="utf-8"), flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet):
        tokens = {
            prop.strip(): token for prop, token in re.findall(r"([\w-]+)\s*:[^;]*?@(\w+)@", body) if token != "icons"
        }
        if tokens:
            rules.append((selector.strip(), tokens))
    return rules


def test_the_style_sheet_has_rules_to_check() -> None:
    rules = dict(style_rules())
    assert any("color" in tokens and "background" in tokens for tokens in rules.values())
    # a field's own edge, not only the focus ring
    assert "border" in rules["QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox"]


def test_every_field_the_sheet_draws_shows_a_focus_ring() -> None:
    """A field drawn by the style sheet loses the platform's focus frame: the sheet must draw one, or Tab
    reaches a number box (a spin box) and nothing shows where the keyboard is (WCAG 2.4.7)."""
    rules = style_rules()
    fields = next(selector for selector, tokens in rules if "QAbstractSpinBox" in selector and "border" in tokens)
    ringed = {
        part.strip().removesuffix(":focus")
        for selector, tokens in rules
        if tokens.get("border") == "focus"
        for part in selector.split(",")
        if part.strip().endswith(":focus")
    }
    assert [field.strip() for field in fields.split(",") if field.strip() not in ringed] == []


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_in_the_style_sheet_is_readable_on_its_own_background(theme: str) -> None:
    colours = THEMES[theme]
    too_faint = []
    for selector, tokens in style_rules():
        background = tokens.get("background") or tokens.get("background-color")
        text = tokens.get("color")
        if text and background:
            ratio = contrast(getattr(colours, text), getattr(colours, background))
            if ratio < TEXT:
                too_faint.append(f"{selector}: {text} on {background} is {ratio:.2f}:1")
    assert too_faint == []


@pytest.mark.parametrize("theme", THEMES)
def test_every_edge_in_the_style_sheet_shows_against_the_field_and_the_window(theme: str) -> None:
    colours = THEMES[theme]
    too_faint = []
    for selector, tokens in style_rules():
        for prop in ("border", "border-color", "border-left"):
            edge = tokens.get(prop)
            if edge is None:
                continue
            # against what surrounds the control (a field or list, or the window): a ticked box is filled
            # with its edge's colour, so the fill itself has to stand out there
            for behind in ("base", "window"):
                ratio = contrast(getattr(colours, edge), getattr(colours, behind))
                if ratio < GRAPHICS:
                    too_faint.append(f"{selector}: {prop} {edge} against {behind} is {ratio:.2f}:1")
    assert too_faint == []


# what the item models and labels put together in code (gui/table_models.py, the RAG chips, banners)
CODE_PAIRS = (
    ("text", "base"),
    ("text", "alternate"),
    ("text", "window"),
    ("text", "button"),
    ("muted", "base"),
    ("muted", "alternate"),
    ("muted", "window"),
    ("highlight_text", "highlight"),
    ("link", "base"),
    ("error", "base"),
    ("error", "window"),
    ("red_text", "red_bg"),
    ("amber_text", "amber_bg"),
    ("green_text", "green_bg"),
    ("overdue_text", "overdue_bg"),
    ("warning_text", "warning_bg"),
    ("info_text", "info_bg"),
)


@pytest.mark.parametrize("theme", THEMES)
def test_selected_rows_chips_and_banners_are_readable(theme: str) -> None:
    colours = THEMES[theme]
    too_faint = [
        f"{text} on {background}: {contrast(getattr(colours, text), getattr(colours, background)):.2f}:1"
        for text, background in CODE_PAIRS
        if contrast(getattr(colours, text), getattr(colours, background)) < TEXT
    ]
    assert too_faint == []


ON_HIGHLIGHT = {"check.svg", "radio-dot.svg"}  # the marks drawn inside a ticked box, on the highlight


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("icon", sorted(p.name for p in (paths.resource() / "icons").glob("*.svg")))
def test_every_icon_shows_in_both_themes(theme: str, icon: str) -> None:
    colours: Colours = THEMES[theme]
    drawn = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', (paths.resource() / "icons" / icon).read_text()))
    assert drawn, f"{icon} names no colour"
    behind = (colours.highlight,) if icon in ON_HIGHLIGHT else (colours.base, colours.alternate, colours.window)
    for background in behind:
        # an icon shows if its strongest colour stands out: an outline may be quieter than the fill
        best = max(contrast(colour, background) for colour in drawn)
        assert best >= GRAPHICS, f"{icon} on {background}: {best:.2f}:1"


def test_the_style_sheet_file_is_the_one_the_theme_reads() -> None:
    assert Path(paths.resource() / "style.qss").is_file()
