"""The dashboard shows the service's figures for the period chosen, switches period from the keyboard,
keeps every number one click away, and exports exactly what the service would write as CSV."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mash_desk.domain.enums import ContactStatus, Outcome, Rag
from mash_desk.gui.manager.charts import ChartCard, FiguresCard
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.gui.manager.figures_model import VALUE_ROLE
from mash_desk.services import decisions, intake, screening
from mash_desk.services.dashboard import FrontDoorMeasures, front_door_measures, measures_to_csv
from mash_desk.services.decisions import DecisionProposal
from tests.gui.conftest import Dialogs
from tests.gui.helpers import CTRL
from tests.gui.manager.conftest import Bench
from tests.support import RATIONALE, World, case_at, child, consent_given, contact_draft

LEVELS = {Outcome.NFA: 1, Outcome.EARLY_HELP: 2, Outcome.CFA_S17: 3, Outcome.STRATEGY_S47: 4}


def decided_earlier(world: World, days_ago: int, source: str, outcome: Outcome, name: str) -> int:
    """A contact received ``days_ago`` days ago from ``source``, rated, decided and authorised."""
    received = world.clock() - timedelta(days=days_ago)
    draft = contact_draft(world.clock, child(name, "Nowak"), received_at=received, referral_source=source)
    logged = intake.log_contact(world.sam, draft)
    screening.rate(world.sam, logged.id, Rag.GREEN)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    proposal = DecisionProposal(logged.child_person_ids[0], LEVELS[outcome], outcome, "N1", RATIONALE)
    decisions.propose_decision(world.sam, logged.id, proposal)
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    return logged.id


def values(card: ChartCard | FiguresCard) -> list[list[object]]:
    model = card.model
    return [
        [model.data(model.index(r, c), VALUE_ROLE) for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def assert_shows(page: DashboardPage, expected: FrontDoorMeasures) -> None:
    """Every number in the tables is the service's number."""
    assert page.measures == expected
    headline = {row[0]: row for row in values(page.headline)}
    for label, ratio in (
        ("Decided within one working day", expected.decided_within_one_working_day),
        ("Completed within the RAG timescale", expected.completed_within_rag),
        ("Children decided no further action", expected.nfa),
    ):
        assert headline[label][1] == ratio.percent
        assert headline[label][2:4] == [ratio.numerator, ratio.denominator]
    conversion = values(page.conversion)
    assert [row[1:3] for row in conversion] == [
        [c.contacts, c.referrals] for c in (*expected.conversion_by_source, expected.conversion)
    ]
    assert [row[3] for row in conversion] == [
        c.to_referral.percent for c in (*expected.conversion_by_source, expected.conversion)
    ]
    assert values(page.caseloads) == [[c.worker, c.open, c.overdue] for c in expected.caseloads]
    assert values(page.breakdowns) == [
        [b.label, b.contacts, b.referrals, b.to_referral.percent] for b in expected.breakdowns
    ]
    assert page.tiles["contacts_received"].value_label.text() == f"{expected.contacts_received:,}"


def test_the_period_switch_shows_the_services_figures_for_that_period(
    bench: Bench, dialogs: Dialogs, tmp_path: Path
) -> None:
    world = bench.world
    case_at(world, ContactStatus.AUTHORISED)  # this month (10 March 2026)
    case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Leo", "Brennan"))
    for days, source, outcome, name in (
        (20, "6", Outcome.STRATEGY_S47, "Ola"),  # February
        (25, "6", Outcome.NFA, "Ewa"),
        (28, "3A", Outcome.EARLY_HELP, "Jan"),
    ):
        decided_earlier(world, days, source, outcome, name)
    page = DashboardPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        page.load()
    assert page.period() == (date(2026, 3, 1), date(2026, 3, 10))
    assert_shows(page, front_door_measures(world.maria, date(2026, 3, 1), date(2026, 3, 10)))
    assert page.measures is not None
    assert page.measures.contacts_received == 2
    assert page.conversion.stack.currentIndex() == 0  # a chart, not an empty one

    page.period_combo.setFocus()
    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        QTest.keyClick(page.period_combo, Qt.Key.Key_Down)  # last month
    assert page.period() == (date(2026, 2, 1), date(2026, 2, 28))
    february = front_door_measures(world.maria, date(2026, 2, 1), date(2026, 2, 28))
    assert february.contacts_received == 3
    assert_shows(page, february)
    police = next(row for row in values(page.conversion) if row[0] == "Police")
    assert police[1:3] == [2, 1]  # two police contacts, one became a referral (the strategy discussion)
    assert "MEETS TARGET" in page.tiles["decided_within_one_working_day"].target_label.text() or (
        "BELOW TARGET" in page.tiles["decided_within_one_working_day"].target_label.text()
    )
    page.conversion.show_numbers()  # the numbers are one click away, as a table
    assert page.conversion.tabs.currentWidget() is page.conversion.table

    with bench.qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_custom(date(2026, 2, 1), date(2026, 3, 10))
    assert_shows(page, front_door_measures(world.maria, date(2026, 2, 1), date(2026, 3, 10)))
    page.set_custom(date(2026, 3, 10), date(2026, 2, 1))
    bench.settle()
    assert page.problem_label.isVisible()
    assert "starts" in page.problem_label.text()

    target = tmp_path / "measures.csv"
    dialogs.answer("save", target)
    with bench.qtbot.waitSignal(page.message, timeout=20_000):
        QTest.keyClick(page.period_combo, Qt.Key.Key_E, CTRL)
    shown = page.measures
    assert shown is not None
    assert target.read_text(encoding="utf-8") == measures_to_csv(
        front_door_measures(world.maria, shown.start, shown.end)
    )
    assert dialogs.of("save")[0].args[2].endswith(".csv")
