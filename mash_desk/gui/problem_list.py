"""What to put right after a refused save, as a list to jump through: Enter (or a click) on a problem
takes the cursor to its field, wherever it is on a long form."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QListWidgetItem, QWidget

from mash_desk.gui.words import tr

ITEM_LINES = 8
"""At most this many problems show without scrolling; the list scrolls for more."""


def field_caption(widget: QWidget) -> str:
    """What the person sees a field called: its label's words (a tick box's own), without the Alt key."""
    text = ""
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget:
            text = label.text()
            break
    if not text and isinstance(widget, QAbstractButton):
        text = widget.text()
    if not text:
        text = widget.accessibleName()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(": ").strip()


class ProblemList(QListWidget):
    """The problems a save found, each with the field it is about, in the order the form asks."""

    def __init__(self, go_to: Callable[[QWidget], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._go_to = go_to
        self._widgets: list[QWidget] = []
        self.setAccessibleName(tr("Things to put right"))
        self.setToolTip(tr("Enter or a click takes you to the field"))
        self.itemActivated.connect(self._jump)
        self.itemClicked.connect(self._jump)
        self.hide()

    def show_problems(self, problems: Sequence[tuple[str, str, QWidget]]) -> None:
        """``problems``: (where, message, field) in form order; where is the field's part of the form."""
        self.clear()
        self._widgets = []
        for where, message, widget in problems:
            caption = field_caption(widget)
            place = f"{where} — {caption}" if where and caption else where or caption
            item = QListWidgetItem(tr("{field}: {message}").format(field=place, message=message) if place else message)
            item.setData(Qt.ItemDataRole.UserRole, len(self._widgets))
            self.addItem(item)
            self._widgets.append(widget)
        rows = min(max(self.count(), 1), ITEM_LINES)
        self.setFixedHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4 if self.count() else 0)
        self.setVisible(bool(self._widgets))
        if self.count():
            self.setCurrentRow(0)

    def field_at(self, row: int) -> QWidget:
        return self._widgets[row]

    def hide_problems(self) -> None:
        self.clear()
        self._widgets = []
        self.hide()

    def _jump(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(index, int) and 0 <= index < len(self._widgets):
            self._go_to(self._widgets[index])
