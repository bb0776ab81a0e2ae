"""``DateBox``: a date typed as one value, the one date field every form and page uses.

A ``QDateEdit`` is a box per part: Tab moved from the day to the month to the year (three keys to get
past it, and a surprise), and a date typed straight in ("15/03/2025") came out as garbage, because
each part only takes its own digits. Here the date is one line of text read by ``domain.moments``
("7/12/2026", "07/12/26", "today"); Tab and Shift+Tab leave the field; Up and Down still change the
part under the cursor; Alt+Down, F4 or the calendar icon opens a calendar.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QSizePolicy, QWidget

from mash_desk.domain.moments import DAY_EXAMPLE, MomentError, format_day, parse_day
from mash_desk.gui.words import tr
from mash_desk.paths import resource

SEPARATOR = "/"
PARTS = ("day", "month", "year")
"""The parts of a written date, in the order ``format_day`` writes them."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def step_day(day: date, part: str, by: int) -> date:
    """``day`` moved ``by`` days, months or years; a month or year step keeps the day where it can
    (31 January and a month on is 28 or 29 February, not 3 March)."""
    if part == "day":
        return day + timedelta(days=by)
    months = day.year * 12 + day.month - 1 + (by if part == "month" else 12 * by)
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def read_day(box: DateBox, key: str, errors: dict[str, str]) -> date | None:
    """The date in ``box``, or None with its message put in ``errors`` under ``key`` (the field it is
    bound to), so a form reports it beside the others and saves nothing."""
    try:
        return box.day()
    except MomentError as exc:
        errors[key] = str(exc)
        return None


class DateBox(QLineEdit):
    """One box for a date: type it in one go, step a part with Up and Down, or pick it from a calendar."""

    day_changed = Signal(object)
    """Emitted with the new ``datetime.date`` once a date is settled: typed and left (or Enter), stepped
    with Up or Down, or picked from the calendar. Not while it is half typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today: Callable[[], date] = date.today
        """What "today", "yesterday" and "tomorrow" are read against (a form's own clock, in tests)."""
        self._earliest: date | None = None
        self._latest: date | None = None
        self._settled: date | None = None
        self.calendar: QCalendarWidget | None = None
        """The calendar while it is open (the tests pick from it)."""
        self.setPlaceholderText(tr("dd/mm/yyyy"))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # as wide as a date, see sizeHint
        self.setMaxLength(20)  # "yesterday" and a little slack; a date is ten
        self.setToolTip(
            tr(
                "Type the date as day/month/year, for example {example}, or 'today'. Up and Down change the "
                "part under the cursor; Alt+Down opens a calendar."
            ).format(example=DAY_EXAMPLE)
        )
        self.setAccessibleDescription(tr("Date, day/month/year. Alt+Down opens a calendar."))
        pick = QAction(QIcon(str(resource("icons", "calendar.svg"))), tr("Choose from a calendar (Alt+Down)"), self)
        pick.triggered.connect(self.show_calendar)
        self.addAction(pick, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._settle)

    # -- the value

    def set_day(self, day: date) -> None:
        self.setText(format_day(day))
        self._settled = day

    def day(self) -> date:
        """The date in the box; raises ``MomentError`` with a message for the field when there is none,
        it is not a date, or it is outside the range the form allows."""
        day = parse_day(self.text(), self.today())
        if self._earliest is not None and day < self._earliest:
            raise MomentError(tr("Choose {day} or later.").format(day=format_day(self._earliest)))
        if self._latest is not None and day > self._latest:
            raise MomentError(tr("Choose {day} or earlier.").format(day=format_day(self._latest)))
        return day

    def day_or_none(self) -> date | None:
        """The date in the box, or None while it is not one (for what is shown beside it as it is typed)."""
        try:
            return self.day()
        except MomentError:
            return None

    def set_range(self, earliest: date | None = None, latest: date | None = None) -> None:
        """The dates the form allows: the calendar offers only these, and ``day()`` refuses the rest."""
        self._earliest, self._latest = earliest, latest

    def _settle(self) -> None:
        """Write a typed date back the one way ("7/3/25" becomes "07/03/2025") and say it changed."""
        day = self.day_or_none()
        if day is None:
            return  # left as typed: the message comes when the form is saved
        if self.text() != format_day(day):
            self.setText(format_day(day))
        if day != self._settled:
            self._settled = day
            self.day_changed.emit(day)

    # -- the keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            self._step(1 if key == Qt.Key.Key_Up else -1)
            return
        super().keyPressEvent(event)

    def _part_at_cursor(self) -> int:
        """Which part (0 day, 1 month, 2 year) the cursor is in: the separators before it say."""
        return min(self.text()[: self.cursorPosition()].count(SEPARATOR), len(PARTS) - 1)

    def _step(self, by: int) -> None:
        """Up or Down: the part under the cursor one more or less, kept inside the allowed range; the
        part stays selected, so Up, Up, Down goes on moving it and typing replaces it."""
        day = self.day_or_none() if self.text().strip() else self.today()
        if day is None:
            return  # nothing to step from; the text stays for the person to correct
        part = self._part_at_cursor()
        moved = step_day(day, PARTS[part], by)
        if self._earliest is not None:
            moved = max(moved, self._earliest)
        if self._latest is not None:
            moved = min(moved, self._latest)
        self.set_day(moved)
        self.day_changed.emit(moved)
        starts = [0, 3, 6]  # dd/mm/yyyy
        length = 4 if part == 2 else 2
        self.setSelection(starts[part], length)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.selectAll()  # typed over in one go, as a QDateEdit's whole date never was

    # -- the calendar

    def show_calendar(self) -> None:
        if self.calendar is not None:
            self.calendar.close()
        popup = QCalendarWidget(self)
        popup.setWindowFlags(Qt.WindowType.Popup)  # closes on a click elsewhere or Escape, like a menu
        popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        popup.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        popup.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        if self._earliest is not None:
            popup.setMinimumDate(_qdate(self._earliest))
        if self._latest is not None:
            popup.setMaximumDate(_qdate(self._latest))
        popup.setSelectedDate(_qdate(self.day_or_none() or self.today()))
        popup.clicked.connect(self._picked)
        popup.activated.connect(self._picked)  # Enter, or a double click
        popup.destroyed.connect(self._calendar_closed)
        self.calendar = popup
        popup.move(self._below())
        popup.show()
        popup.setFocus(Qt.FocusReason.PopupFocusReason)

    def _below(self) -> QPoint:
        """Under the box, pulled back onto the screen if the box is near its bottom or right edge."""
        place = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        size: QSize = self.calendar.sizeHint() if self.calendar is not None else QSize(0, 0)
        if place.y() + size.height() > screen.bottom():
            place.setY(self.mapToGlobal(QPoint(0, 0)).y() - size.height())
        place.setX(max(screen.left(), min(place.x(), screen.right() - size.width())))
        return place

    def _picked(self, value: QDate) -> None:
        popup = self.calendar
        self.set_day(_day(value))
        self.day_changed.emit(_day(value))
        if popup is not None:
            popup.close()
        self.window().activateWindow()  # some platforms leave no window active once a popup has gone
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def _calendar_closed(self) -> None:
        self.calendar = None

    def sizeHint(self) -> QSize:
        """Wide enough for a whole date and the calendar icon, and no wider: a date is never stretched."""
        hint = super().sizeHint()
        text = self.fontMetrics().horizontalAdvance("00/00/00000")
        return QSize(text + 44, hint.height())
