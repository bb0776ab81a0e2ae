"""Small helpers for the standard widgets the forms use: coded combo boxes, tick lists, yes/no/not known."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.words import enum_words, tr

E = TypeVar("E", bound=Enum)
V = TypeVar("V", bound=QAbstractItemView)


def leave_on_tab(view: V) -> V:
    """Tab moves on to the next widget instead of from cell to cell: the arrows move inside a table,
    so no table (a queue, a contact's tables, the possible matches) traps the keyboard."""
    view.setTabKeyNavigation(False)
    return view


def leave_tables_on_tab(root: QWidget) -> None:
    """``leave_on_tab`` for every table and list inside ``root`` (a loaded form)."""
    for view in root.findChildren(QAbstractItemView):
        leave_on_tab(view)


def default_button(dialog: QDialog) -> QPushButton | None:
    """The button Enter would press: the default one, else the accepting one of a button box."""
    buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]
    chosen = next((b for b in buttons if b.isDefault()), None)
    if chosen is not None:
        return chosen
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            role = box.buttonRole(button)
            if isinstance(button, QPushButton) and button in buttons and role is QDialogButtonBox.ButtonRole.AcceptRole:
                return button
    return None


def ctrl_enter_finishes(dialog: QDialog, finish: Callable[[], object] | None = None) -> None:
    """Ctrl+Enter finishes ``dialog`` from anywhere in it: by ``finish``, or by pressing its default button.

    Enter in a multi-line box starts a new line, so a dialog finished in one would cost Tab and Enter.
    """

    def press() -> None:
        if finish is not None:
            finish()
            return
        button = default_button(dialog)
        if button is not None:
            button.click()

    for key in ("Ctrl+Return", "Ctrl+Enter"):  # both Enter keys
        shortcut = QShortcut(QKeySequence(key), dialog)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(press)


def combos_may_shrink(root: QWidget, characters: int = 12) -> None:
    """Combo boxes in ``root`` as narrow as ``characters`` if need be, not as wide as their longest item
    (an ethnicity or a reason for no UPN): two columns of fields then fit beside the matches."""
    for combo in root.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(characters)


def fill_enum(combo: QComboBox, values: Iterable[E], words: Callable[[E], str] = enum_words) -> None:
    combo.clear()
    for value in values:
        combo.addItem(words(value), value)


def fill_codes(
    combo: QComboBox,
    codes: Iterable[tuple[str, str]],
    *,
    blank: str | None = None,
    tip: Callable[[str], str] | None = None,
) -> None:
    """Items whose data is a code and whose text says what it means (``tip``: the code, for a tooltip)."""
    combo.clear()
    if blank is not None:
        combo.addItem(blank, "")
    for code, text in codes:
        combo.addItem(text, code)
        if tip is not None:
            combo.setItemData(combo.count() - 1, tip(code), Qt.ItemDataRole.ToolTipRole)


def enum_data(combo: QComboBox, kind: type[E]) -> E | None:
    """The current item's enum (Qt hands a ``StrEnum`` back as its plain string, so it is rebuilt here)."""
    value: Any = combo.currentData()
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def checked_enums(widget: QListWidget, kind: type[E]) -> list[E]:
    return [kind(value) for value in checked(widget)]


def set_combo_value(combo: QComboBox, value: object) -> None:
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return


def fill_tristate(combo: QComboBox) -> None:
    """Not known / yes / no: an unknown answer must stay unknown, not quietly become "no"."""
    combo.clear()
    combo.addItem(tr("not known"), None)
    combo.addItem(tr("yes"), True)
    combo.addItem(tr("no"), False)


def tristate(combo: QComboBox) -> bool | None:
    value: Any = combo.currentData()
    return value if isinstance(value, bool) else None


def fill_checkable(widget: QListWidget, items: Iterable[tuple[object, str]]) -> None:
    widget.clear()
    for data, text in items:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)


def checked(widget: QListWidget) -> list[Any]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() is Qt.CheckState.Checked
    ]


def set_checked(widget: QListWidget, values: Iterable[object]) -> None:
    wanted = set(values)
    for i in range(widget.count()):
        item = widget.item(i)
        state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked
        item.setCheckState(state)


class _FitToRows(QObject):
    """Keeps a table exactly as tall as its rows whenever its width (and so its wrapping) changes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QTableWidget):
            fit_height(watched)
        return False


NARROWEST_LIMIT = 120
"""A column is never held narrower than this to make room for the last: it would wrap a word a line."""
LAST_COLUMN_SHARE = 1 / 3
"""The share of a table's width kept for its last column (the one that says the most, and wraps) when the
others would take it all: a reason or a summary is never crushed into a sliver a word or two wide."""


def column_limit(table: QTableWidget) -> int:
    """The widest any column but the last may be, for the table's width and contents now.

    The narrow columns (a date, a name, a rating) keep the width they need; only the widest give way,
    down to a common limit, until the last column has its share.
    """
    header = table.horizontalHeader()
    wanted = [max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(table.columnCount())]
    width = table.viewport().width()
    room = width - min(wanted[-1], int(width * LAST_COLUMN_SHARE))
    others = sorted(wanted[:-1])
    for narrower, column in enumerate(others):
        # the columns narrower than this one keep their width; this one and the wider share the rest
        level = (room - sum(others[:narrower])) // (len(others) - narrower)
        if column > level:
            return max(NARROWEST_LIMIT, level)
    return max(NARROWEST_LIMIT, others[-1])


def fit_height(table: QTableWidget) -> None:
    header = table.horizontalHeader()
    if table.columnCount() > 1 and table.isVisible():
        # no column may crowd out the last: the widest others wrap instead. Only once the table is laid out:
        # before it is shown its viewport is a placeholder 100 px wide, and a limit worked out from that
        # crushed every column but the last for good.
        header.setMaximumSectionSize(column_limit(table))
    # the columns take their widths now, not when the header next gets round to it: rows measured against
    # the old widths wrapped a line too many (or too few) and kept it
    header.resizeSections()
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    top = 0 if header.isHidden() else header.sizeHint().height()
    height = top + rows + 2 * table.frameWidth() + 2
    if table.height() != height or table.minimumHeight() != height:
        table.setFixedHeight(height)


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[str]], *, empty: str = "") -> None:
    """A read-only table as tall as its rows (it lives in a scrolling page, so it never scrolls itself).

    Every column fits its contents except the last, which takes the rest of the width and wraps.
    """
    table.clear()
    nothing = not rows and bool(empty)
    if nothing:
        headers, shown = [empty], [[empty]]
        table.horizontalHeader().setVisible(False)
    else:
        shown = rows
        table.horizontalHeader().setVisible(True)
    # an empty section reads as a sentence ("Not handed off yet."), not as an empty box to type in
    table.setFrameShape(QFrame.Shape.NoFrame if nothing else QFrame.Shape.StyledPanel)
    table.setShowGrid(not nothing)
    if table.property("empty_section") != nothing:
        set_flag(table, "empty_section", nothing)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus if nothing else Qt.FocusPolicy.StrongFocus)
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(shown))
    for r, row in enumerate(shown):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip(text if len(text) > 40 else "")
            table.setItem(r, c, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    if table.property("fits_rows") is None:
        table.setProperty("fits_rows", True)
        table.installEventFilter(_FitToRows(table))
    fit_height(table)
