"""Light and dark themes that follow the system, from one style sheet in ``resources/``.

The style sheet names colours as ``@token@``; the theme fills them in from the light or the dark
set. Item models ask the theme for the same colours, so a table and a label never disagree.
Meaning is never carried by colour alone: every coloured state also has words and an icon.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from mash_desk.domain.enums import Rag
from mash_desk.gui.signals import emit
from mash_desk.paths import resource


@dataclass(frozen=True)
class Colours:
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    button: str
    border: str
    highlight: str
    highlight_text: str
    link: str
    focus: str
    error: str
    error_bg: str
    warning_bg: str
    warning_text: str
    info_bg: str
    info_text: str
    red_bg: str
    red_text: str
    amber_bg: str
    amber_text: str
    green_bg: str
    green_text: str
    overdue_text: str
    overdue_bg: str
    indicator: str  # the edge of a check box or radio button: visible on its own, in either theme


# Text/background pairs are chosen for a contrast ratio of at least 4.5:1 (WCAG AA 1.4.3), and the edges
# of fields, check boxes and the focus ring for 3:1 against what they sit on (1.4.11);
# tests/gui/test_contrast.py checks every pair the style sheet and the item models use.
LIGHT = Colours(
    window="#f3f4f6",
    base="#ffffff",
    alternate="#f7f8fa",
    text="#1b1f24",
    muted="#4a5560",
    button="#e8eaee",
    border="#78828c",
    highlight="#1d4f91",
    highlight_text="#ffffff",
    link="#0b57d0",
    focus="#0b57d0",
    error="#b00020",
    error_bg="#fde7ea",
    warning_bg="#fff4d6",
    warning_text="#5c4300",
    info_bg="#e3eefc",
    info_text="#0d3266",
    red_bg="#fbd5d5",
    red_text="#8a0000",
    amber_bg="#ffe6b3",
    amber_text="#5c3b00",
    green_bg="#d6f0d8",
    green_text="#1b5e20",
    overdue_text="#ffffff",
    overdue_bg="#b00020",
    indicator="#56616c",
)

DARK = Colours(
    window="#1e2226",
    base="#15181b",
    alternate="#1b1f23",
    text="#e8eaed",
    muted="#b3bcc6",
    button="#2c3238",
    border="#6f7a85",
    highlight="#3167d3",
    highlight_text="#ffffff",
    link="#8ab4f8",
    focus="#8ab4f8",
    error="#ff8a8a",
    error_bg="#3d1518",
    warning_bg="#3d3000",
    warning_text="#ffe08a",
    info_bg="#13294a",
    info_text="#cfe0fb",
    red_bg="#5c1414",
    red_text="#ffd0d0",
    amber_bg="#553a00",
    amber_text="#ffe0a3",
    green_bg="#143d1a",
    green_text="#c8f0cb",
    overdue_text="#ffffff",
    overdue_bg="#a3001c",
    indicator="#a7b2bd",
)

ICONS = (
    "overdue",
    "due-soon",
    "danger",
    "warning",
    "linked",
    "re-referral",
    "open-case",
    "rag-red",
    "rag-amber",
    "rag-green",
    "rag-none",
)


class Theme(QObject):
    """Applies the palette and style sheet, and re-applies them when the system switches light/dark."""

    changed = Signal()
    """Emitted after the colours changed (views repaint what they drew from them)."""

    def __init__(self, app: QApplication, *, forced: Qt.ColorScheme | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._forced = forced
        self._icons: dict[str, QIcon] = {}
        self.colours = LIGHT
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.apply()

    @property
    def dark(self) -> bool:
        return self.colours is DARK

    def scheme(self) -> Qt.ColorScheme:
        if self._forced is not None:
            return self._forced
        return self._app.styleHints().colorScheme()

    def force(self, scheme: Qt.ColorScheme | None) -> None:
        """Use ``scheme`` whatever the system says (None: follow the system again)."""
        self._forced = scheme
        self.apply()

    def apply(self) -> None:
        self.colours = DARK if self.scheme() is Qt.ColorScheme.Dark else LIGHT
        self._app.setPalette(palette_for(self.colours))
        self._app.setStyleSheet(style_sheet(self.colours))
        emit(self.changed)

    def colour(self, name: str) -> QColor:
        return QColor(str(getattr(self.colours, name)))

    def icon(self, name: str) -> QIcon:
        """An icon from ``resources/icons`` by name (without ``.svg``)."""
        cached = self._icons.get(name)
        if cached is None:
            cached = QIcon(str(resource("icons", f"{name}.svg")))
            self._icons[name] = cached
        return cached

    def rag_icon(self, rag: Rag | None) -> QIcon:
        return self.icon(f"rag-{rag.value}" if rag is not None else "rag-none")

    def rag_colours(self, rag: Rag | None) -> tuple[QColor, QColor] | None:
        """Background and text colour for a RAG rating (None when unrated)."""
        if rag is None:
            return None
        return self.colour(f"{rag.value}_bg"), self.colour(f"{rag.value}_text")

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._forced is None:
            self.apply()


def palette_for(colours: Colours) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: colours.window,
        role.WindowText: colours.text,
        role.Base: colours.base,
        role.AlternateBase: colours.alternate,
        role.Text: colours.text,
        role.Button: colours.button,
        role.ButtonText: colours.text,
        role.ToolTipBase: colours.base,
        role.ToolTipText: colours.text,
        role.PlaceholderText: colours.muted,
        role.Highlight: colours.highlight,
        role.HighlightedText: colours.highlight_text,
        role.Link: colours.link,
        role.BrightText: colours.error,
        role.Mid: colours.border,
        role.Dark: colours.border,
    }
    for colour_role, value in pairs.items():
        palette.setColor(colour_role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for colour_role in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(disabled, colour_role, QColor(colours.muted))
    return palette


def style_sheet(colours: Colours) -> str:
    """The one style sheet, ``resources/style.qss``, with this theme's colours filled in."""
    text = resource("style.qss").read_text(encoding="utf-8")
    for name, value in asdict(colours).items():
        text = text.replace(f"@{name}@", str(value))
    # images in a style sheet are found by path: the icons folder, wherever the program is installed
    return text.replace("@icons@", resource("icons").as_posix())
