"""The dashboard's supervision cards (issue 14): who is overdue for supervision now, and caseload
against supervision month by month, from the measures the dashboard already read (one source)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from mash_desk.domain.words import counted
from mash_desk.gui.manager.charts import ChartCard, FiguresCard, Series
from mash_desk.gui.manager.figures_model import Figure, count, text
from mash_desk.gui.theme import Theme
from mash_desk.gui.words import tr
from mash_desk.services.dashboard import FrontDoorMeasures
from mash_desk.services.supervision.measures import PractitionerSupervision, SupervisionMeasures


def _day(day: date | None, never: str) -> Figure:
    if day is None:
        return Figure(never, None)
    return Figure(f"{day:%d %b %Y}", day.toordinal())


def status_words(row: PractitionerSupervision, today: date) -> str:
    """ "Overdue since 3 Mar", "Never supervised", "Due in 5 days" or "Due today"."""
    if row.due_on is None:
        return tr("Never supervised")
    if row.overdue:
        return tr("Overdue since {day:%d %b}").format(day=row.due_on)
    days = (row.due_on - today).days
    return tr("Due today") if days <= 0 else tr("Due in {days}").format(days=counted(days, tr("day"), tr("days")))


class SupervisionCards:
    """A table of practitioners (overdue first) and a month-by-month chart."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        self.who = FiguresCard(
            tr("Supervision now: who is overdue"),
            [tr("Practitioner"), tr("Last supervised"), tr("Next due"), tr("Open caseload"), tr("Supervision")],
            parent,
        )
        self.over_time = ChartCard(
            tr("Caseload against supervision, month by month"),
            [
                tr("Month"),
                tr("Practitioners"),
                tr("Supervised that month"),
                tr("Overdue at the month's end"),
                tr("Open caseload at the month's end"),
            ],
            theme,
            empty_text=tr("No practitioner is recorded yet."),
            parent=parent,
        )

    def show_measures(self, m: FrontDoorMeasures, today: date) -> None:
        if m.themes is not None:
            self.show(m.themes.supervision, today)

    def show(self, sup: SupervisionMeasures, today: date) -> None:
        self.who.setTitle(
            tr("Supervision now: {overdue} of {practitioners} overdue (policy: {policy})").format(
                overdue=sup.overdue_now,
                practitioners=counted(len(sup.practitioners), tr("practitioner"), tr("practitioners")),
                policy=sup.frequency_words,
            )
        )
        self.who.model.set_rows(
            [
                [
                    text(row.name),
                    _day(row.last_held, tr("never")),
                    _day(row.due_on, tr("now")),
                    count(row.open_caseload),
                    text(status_words(row, today)),
                ]
                for row in sup.practitioners
            ]
        )
        months = sup.months
        self.over_time.model.set_rows(
            [
                [
                    text(f"{month.month_end:%b %Y}"),
                    count(month.practitioners),
                    count(month.practitioners_supervised),
                    count(month.overdue_at_end),
                    count(month.caseload_at_end),
                ]
                for month in months
            ]
        )
        self.over_time.set_data(
            [f"{month.month_end:%b %Y}" for month in months] if sup.practitioners else [],
            [
                Series(tr("Supervised that month"), [month.practitioners_supervised for month in months]),
                Series(tr("Overdue at the month's end"), [month.overdue_at_end for month in months]),
                Series(tr("Open caseload at the month's end"), [month.caseload_at_end for month in months]),
            ],
        )
