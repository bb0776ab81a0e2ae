"""Headline tiles: a percentage in large type, what it is out of, and its target in words.

Meeting a target or missing it is said ("MEETS TARGET ✓" / "BELOW TARGET ✗"), not only coloured.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mash_desk.gui.signals import emit
from mash_desk.gui.theme import Theme
from mash_desk.gui.words import tr
from mash_desk.services.manager import CountTile, MeasureTile

TILE_WIDTH = 200


def target_words(tile: MeasureTile) -> str:
    """The target with its direction: "≥ 95%" (more is better) or "≤ 22%" (less is better)."""
    if tile.target is None:
        return ""
    return f"{'≥' if tile.higher_is_better else '≤'} {tile.target:g}%"


def verdict_words(tile: MeasureTile) -> str:
    """Whether the target is met, in capitals and with a mark, so colour is never the only sign."""
    if tile.target is None:
        return ""
    return {
        True: tr("MEETS TARGET ✓"),
        False: tr("BELOW TARGET ✗") if tile.higher_is_better else tr("ABOVE TARGET ✗"),
        None: tr("nothing to measure yet"),
    }[tile.meets_target]


class Tile(QFrame):
    """One headline figure; ``state`` ("good", "bad" or "plain") picks its colours from the theme.
    An ``openable`` tile takes the keyboard focus and opens the cases behind it (Enter, Space or a click)."""

    opened = Signal(str)
    """Emitted with the tile's key when the person opens it."""

    def __init__(self, key: str, theme: Theme, parent: QWidget | None = None, *, openable: bool = False) -> None:
        super().__init__(parent)
        self.key = key
        self.openable = openable
        if openable:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(tr("Enter, Space or a click: list the cases behind this figure"))
        self._theme = theme
        self.state = "plain"
        self.setObjectName(f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(TILE_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.value_label = QLabel(self)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value_label.setFont(font)
        self.detail_label = QLabel(self)
        self.target_label = QLabel(self)
        self.target_label.setWordWrap(True)
        bold = self.target_label.font()
        bold.setBold(True)
        self.target_label.setFont(bold)
        for label in (self.title_label, self.value_label, self.detail_label, self.target_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        theme.changed.connect(self._paint)
        self._paint()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._paint()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._paint()

    def show_measure(self, tile: MeasureTile) -> None:
        share = tile.ratio.percent
        self.title_label.setText(tr(tile.label))
        self.value_label.setText("n/a" if share is None else f"{share:.1f}%")
        self.detail_label.setText(
            tr("{numerator:,} of {denominator:,}").format(
                numerator=tile.ratio.numerator, denominator=tile.ratio.denominator
            )
        )
        if tile.target is None:
            self.target_label.setText(tr("No target: for context"))
            self.state = "plain"
        else:
            self.target_label.setText(
                tr("Target {target} · {verdict}").format(target=target_words(tile), verdict=verdict_words(tile))
            )
            self.state = {True: "good", False: "bad", None: "plain"}[tile.meets_target]
        self._describe()
        self._paint()

    def show_count(self, tile: CountTile) -> None:
        self.title_label.setText(tr(tile.label))
        self.value_label.setText(f"{tile.count:,}")
        late = tile.of_which_overdue
        if late is not None:
            self.detail_label.setText(
                tr("{late:,} OVERDUE · now").format(late=late) if late else tr("none overdue · now")
            )
        elif tile.key == "audit_actions_overdue":  # actions agreed from audits, counted as they stand now
            self.detail_label.setText(tr("as they are now"))
        else:
            self.detail_label.setText(
                tr("in this period") if tile.key == "contacts_received" else tr("of this period's contacts")
            )
        alarming = tile.key != "contacts_received" and bool(late if late is not None else tile.count)
        self.target_label.setText(tr("⚠ needs attention") if alarming else " ")
        self.state = "bad" if alarming else "plain"
        self._describe()
        self._paint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.openable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            emit(self.opened, self.key)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.openable and event.button() is Qt.MouseButton.LeftButton:
            emit(self.opened, self.key)
            return
        super().mouseReleaseEvent(event)

    def _describe(self) -> None:
        parts = (self.title_label, self.value_label, self.detail_label, self.target_label)
        self.setAccessibleName(", ".join(label.text() for label in parts if label.text()))
        if self.openable:
            self.setAccessibleDescription(tr("Press Enter to list the cases behind this figure"))

    def _paint(self) -> None:
        c = self._theme.colours
        background, text, edge = {
            "good": (c.green_bg, c.green_text, c.green_text),
            "bad": (c.red_bg, c.red_text, c.red_text),
            "plain": (c.base, c.text, c.border),
        }[self.state]
        width = 3 if self.hasFocus() else 1  # where the keyboard is, seen without colour
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {background}; border: {width}px solid {edge}; "
            "border-radius: 4px; }"
            f"QFrame#{self.objectName()} QLabel {{ color: {text}; background: transparent; border: none; }}"
        )
