"""A threshold exercise end to end in the window, from the keyboard, on SQLite and PostgreSQL: Maria sets
it up from the Partnership menu's Exercises page, adds past contacts, reviews each vignette and opens
it; Sam rates every vignette blind on Vignettes to rate (a rating without a level or outcome is refused
at its fields and writes nothing); two other agencies rate; Maria closes it and reads the kappa."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.modeltest import ModelTester

from mash_desk.domain.enums import Outcome
from mash_desk.domain.exercises import RATEABLE_OUTCOMES
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.partnership.exercise_page import ExercisesPage
from mash_desk.gui.partnership.exercise_rating_page import VignettesToRatePage
from mash_desk.services import exercises
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, NONE, check_model, press
from tests.services.test_exercises import closed_case_naming_the_family
from tests.support import snapshot

ALT = Qt.KeyboardModifier.AltModifier


def _page(desk: Desk, window: MainWindow, key: str) -> QWidget:
    area = window.partnership_area
    assert area is not None
    assert area.menu is not None
    titles = [action.text() for action in area.menu.actions()]
    assert {"&Exercises", "&Vignettes to rate"} & set(titles)
    area.show_page(key)
    desk.settle()
    page = area.page(key)
    assert page is not None
    return page


def alt(window: QWidget, key: Qt.Key) -> None:
    """Alt+key (a label's or a button's mnemonic), typed into the window."""
    QTest.keyClick(window, key, ALT)


def press_button(desk: Desk, window: QWidget, button: QAbstractButton, key: Qt.Key) -> None:
    """A button's mnemonic: Qt animates the click and makes it a moment later, then its work runs."""
    with desk.qtbot.waitSignal(button.clicked, timeout=5_000):
        alt(window, key)
    desk.settle()


def _type(desk: Desk, widget: QWidget, text: str) -> None:
    QTest.keyClicks(widget, text)


def test_an_exercise_runs_end_to_end_from_the_keyboard(
    desk: Desk, dialogs: Dialogs, qtmodeltester: ModelTester
) -> None:
    world = desk.world
    references = [f"MASH-{closed_case_naming_the_family(world):07d}" for _ in range(3)]

    maria = desk.window("maria")
    page = _page(desk, maria, "exercises")
    assert isinstance(page, ExercisesPage)
    alt(maria, Qt.Key.Key_N)  # the title's mnemonic
    assert page.title_edit.hasFocus()
    _type(desk, page.title_edit, "ab")
    press(desk.qtbot, page.title_edit, Qt.Key.Key_Return, NONE)
    desk.settle()
    assert page.errors.message_at("title") is not None  # refused at the field, nothing written
    assert exercises.exercises(world.maria) == []
    page.title_edit.clear()
    _type(desk, page.title_edit, "Neglect thresholds, spring")
    press(desk.qtbot, page.title_edit, Qt.Key.Key_Return, NONE)
    desk.settle()
    assert page.model.rowCount() == 1
    check_model(qtmodeltester, page.model)
    assert page.references_edit.hasFocus()
    _type(desk, page.references_edit, ", ".join(references))
    press(desk.qtbot, page.references_edit, Qt.Key.Key_Return, NONE)
    desk.settle()
    assert page.vignette_list.count() == 3
    assert "Hussain" not in page.text_edit.toPlainText()
    assert "Child A" in page.text_edit.toPlainText()
    for position in range(3):
        # the first vignette not yet reviewed is the one showing, each time
        assert page.vignette_list.currentRow() == position
        if position == 0:
            alt(maria, Qt.Key.Key_T)  # the text's mnemonic
            assert page.text_edit.hasFocus()
            press(desk.qtbot, page.text_edit, Qt.Key.Key_End, CTRL)
            _type(desk, page.text_edit, "Read and checked.")
        press_button(desk, maria, page.review_button, Qt.Key.Key_E)  # Save as reviewed
    reviewed = exercises.vignettes(world.maria, page.model.rows()[0].id)
    assert [v.reviewed_by for v in reviewed] == ["Maria Lopez"] * 3
    assert reviewed[0].text.endswith("Read and checked.")
    dialogs.answer("confirm", True)
    press_button(desk, maria, page.open_button, Qt.Key.Key_O)  # Open for rating
    exercise_id = page.model.rows()[0].id
    assert exercises.exercises(world.maria)[0].status.value == "open"

    sam = desk.window("sam")
    rating = _page(desk, sam, "vignettes")
    assert isinstance(rating, VignettesToRatePage)
    assert rating.list.count() == 3
    assert "never the real decision" in rating.summary.text()
    before = snapshot(world.db)
    press_button(desk, sam, rating.save_button, Qt.Key.Key_S)  # nothing chosen yet
    assert rating.errors.message_at("level") == "Choose a level of need from 1 to 4."
    assert rating.errors.message_at("outcome") == "Choose the outcome you would decide."
    assert snapshot(world.db) == before
    outcome_index = {3: 1 + list(RATEABLE_OUTCOMES).index(Outcome.CFA_S17)}
    outcome_index[4] = 1 + list(RATEABLE_OUTCOMES).index(Outcome.STRATEGY_S47)
    for level in (3, 3, 4):
        alt(sam, Qt.Key.Key_L)
        assert rating.level_combo.hasFocus()
        for _ in range(level):
            press(desk.qtbot, rating.level_combo, Qt.Key.Key_Down, NONE)
        alt(sam, Qt.Key.Key_T)
        assert rating.outcome_combo.hasFocus()
        for _ in range(outcome_index[level]):
            press(desk.qtbot, rating.outcome_combo, Qt.Key.Key_Down, NONE)
        press_button(desk, sam, rating.save_button, Qt.Key.Key_S)
    assert [row.my_level for row in exercises.vignettes_to_rate(world.sam)] == [3, 3, 4]
    assert "0 of 3" in rating.summary.text()

    for who, levels in (("police", (3, 3, 4)), ("health", (3, 4, 4))):
        ctx = getattr(world, who)
        for vignette, level in zip(exercises.vignettes_to_rate(ctx), levels, strict=True):
            exercises.rate_vignette(
                ctx, vignette.vignette_id, level, Outcome.CFA_S17 if level == 3 else Outcome.STRATEGY_S47
            )
    dialogs.answer("confirm", True)
    desk.focus(maria)
    page.choose(exercise_id)
    desk.settle()
    press_button(desk, maria, page.close_button, Qt.Key.Key_X)  # Close exercise
    shown = page.results_view.toPlainText()
    assert "Closed. 9 ratings by 3 people of 3 agencies on 3 vignettes." in shown
    assert "0.55 (moderate)" in shown
    assert "Vignette 2" in shown.split("Where people disagree most")[1]
