"""The duplicates page: likely pairs listed, compared side by side and merged with a reason from the
keyboard, the merge listed and undone with a reason; the merge dialog's safe default (Enter cancels)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mash_desk.domain.enums import PersonKind
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.manager.duplicates_page import DuplicatesPage, PairColumn
from mash_desk.gui.manager.merge_dialog import MergeAnswer, MergeDialog
from mash_desk.services import intake, merging
from mash_desk.services.merging import PersonSide
from mash_desk.store.models import ContactChild, Person
from tests.gui.conftest import Dialogs
from tests.gui.helpers import CTRL, NONE, check_model, press, type_into
from tests.gui.manager.conftest import Bench
from tests.support import child, contact_draft, snapshot


def _two_records(bench: Bench) -> tuple[int, int, int]:
    world = bench.world
    first = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain")))
    world.clock.advance(days=30)
    second = intake.log_contact(world.priya, contact_draft(world.clock, child("Ameera", "Hussain")))
    return first.child_person_ids[0], second.child_person_ids[0], second.id


def _page(bench: Bench) -> DuplicatesPage:
    page = DuplicatesPage(bench.window(bench.world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    page.reload()
    bench.settle()
    return page


def test_a_pair_is_compared_merged_and_undone_from_the_keyboard(bench: Bench, manager_dialogs: Dialogs) -> None:
    kept, merged, second_contact = _two_records(bench)
    page = _page(bench)
    assert page.pairs_model.rowCount() == 1
    assert page.pairs_model.index(0, PairColumn.WHY).data() == "same date of birth, name spelt alike"
    assert "1 pair of records may be one person" in page.summary_label.text()
    manager_dialogs.answer("merge", MergeAnswer(kept, merged, "Same child: same school, mother and address."))
    page.pairs_panel.focus_table()
    press(bench.qtbot, page.pairs_panel.view, Qt.Key.Key_Return, NONE)  # Enter compares, then asks
    bench.settle()
    shown = manager_dialogs.of("merge")[0]
    first, second = shown.args[1], shown.args[2]
    assert isinstance(first, PersonSide)
    assert (first.name, second.name) == ("Amira Hussain", "Ameera Hussain")
    assert merging.resolve_person(bench.world.sam, merged) == kept
    with bench.world.db.session() as session:
        assert (
            session.scalars(select(ContactChild.person_id).where(ContactChild.contact_id == second_contact)).one()
            == kept
        )
    assert page.pairs_model.rowCount() == 0
    assert page.merges_model.rowCount() == 1
    # undo, from the merges list, with Ctrl+U and a reason
    manager_dialogs.answer("text", TextAnswer("The school confirmed two pupils."))
    page.merges_panel.focus_table()
    press(bench.qtbot, page.merges_panel.view, Qt.Key.Key_U, CTRL)
    bench.settle()
    assert "Undo the merge of Ameera Hussain into Amira Hussain" in manager_dialogs.of("text")[0].kwargs["intro"]
    assert merging.resolve_person(bench.world.sam, merged) == merged
    assert page.pairs_model.rowCount() == 1
    assert page.merges_model.index(0, 5).data().startswith("undone by Maria Lopez")


def test_a_refused_merge_reopens_the_dialog_with_the_reason_at_the_top_and_changes_nothing(
    bench: Bench, manager_dialogs: Dialogs
) -> None:
    kept, merged, _contact = _two_records(bench)
    page = _page(bench)
    # someone corrects the second record's date of birth while the manager compares: the merge is refused
    before: list[dict[str, object]] = []

    def correct_then_merge(_shown: object) -> MergeAnswer:
        answer = _correct_then(bench, merged, MergeAnswer(kept, merged, "Same child."))
        before.append(snapshot(bench.world.db))  # type: ignore[arg-type]
        return answer

    manager_dialogs.answer("merge", correct_then_merge)
    manager_dialogs.answer("error", None)
    page.pairs_panel.focus_table()
    press(bench.qtbot, page.pairs_panel.view, Qt.Key.Key_M, CTRL)
    bench.settle()
    told = manager_dialogs.of("error")
    assert len(told) == 1
    assert "changed Ameera Hussain's record" in told[0].args[2]
    assert merging.resolve_person(bench.world.sam, merged) == merged
    assert snapshot(bench.world.db) == before[0]


def _correct_then(bench: Bench, person_id: int, answer: MergeAnswer) -> MergeAnswer:
    from mash_desk.services.people import PersonCorrection, correct_person

    with bench.world.db.session() as session:
        version = session.get_one(Person, person_id).version
    correct_person(
        bench.world.sam,
        person_id,
        PersonCorrection(first_language="Arabic"),
        reason="The family's first language, from the school.",
        expected_version=version,
    )
    return answer


def test_both_models_pass_the_model_tester(bench: Bench, qtmodeltester: ModelTester) -> None:
    kept, merged, _contact = _two_records(bench)
    page = _page(bench)
    check_model(qtmodeltester, page.pairs_model)
    merging.merge_people(bench.world.maria, kept, merged, "Same child.", kept_version=1, merged_version=1)
    page.reload()
    bench.settle()
    check_model(qtmodeltester, page.merges_model)


def _side(person_id: int, given: str, **extra: object) -> PersonSide:
    values: dict[str, object] = {
        "person_id": person_id,
        "kind": PersonKind.CHILD,
        "given_names": given,
        "family_name": "Hussain",
        "date_of_birth": date(2019, 5, 4),
        "nhs_number": None,
        "upn": None,
        "first_language": "Arabic",
        "postcode": "LU1 3AB",
        "aliases": (),
        "contacts": 2,
        "last_contact_at": datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        "created_at": datetime(2025, 1, 1, 9, 0, tzinfo=UTC),
        "version": 1,
    }
    values.update(extra)
    return PersonSide(**values)  # type: ignore[arg-type]


def test_the_merge_dialog_defaults_to_cancel_and_needs_a_reason(qtbot: QtBot) -> None:
    dialog = MergeDialog(None, _side(4, "Amira"), _side(9, "Ameera", nhs_number="9434765919"))
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.cancel_button.isDefault()
    assert not dialog.ok_button().isDefault()
    assert dialog.differences == ["Name", "NHS number"]
    # Enter anywhere but the reason box cancels: the safe choice
    dialog.keep_second.setFocus()
    press(qtbot, dialog.keep_second, Qt.Key.Key_Return, NONE)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.result_answer() is None

    dialog = MergeDialog(None, _side(4, "Amira"), _side(9, "Ameera"))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    _tab_to(qtbot, dialog, dialog.ok_button())
    press(qtbot, dialog.ok_button(), Qt.Key.Key_Space, NONE)  # Merge records, no reason yet
    assert dialog.isVisible()
    assert dialog.errors.message_at("reason") == "Say why these two records are one person."
    _tab_to(qtbot, dialog, dialog.keep_first)
    press(qtbot, dialog.keep_first, Qt.Key.Key_Down, NONE)  # keep the second record
    assert dialog.keep_second.isChecked()
    _tab_to(qtbot, dialog, dialog.reason_edit)
    type_into(qtbot, dialog.reason_edit, "Same school and GP.")
    _tab_to(qtbot, dialog, dialog.ok_button())
    press(qtbot, dialog.ok_button(), Qt.Key.Key_Space, NONE)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_answer() == MergeAnswer(9, 4, "Same school and GP.")


def _tab_to(qtbot: QtBot, dialog: QDialog, target: QWidget) -> None:
    """Tab through the dialog until ``target`` has the focus, as a person would."""
    for _ in range(20):
        if QApplication.focusWidget() is target:
            return
        focused = QApplication.focusWidget() or dialog
        press(qtbot, focused, Qt.Key.Key_Tab, NONE)
    raise AssertionError(f"Tab never reached {target.objectName() or target}")


def test_a_merge_the_rules_refuse_reopens_the_dialog_with_why_and_changes_nothing(
    bench: Bench, manager_dialogs: Dialogs
) -> None:
    world = bench.world
    # the same NHS number (so offered) but two dates of birth: one must be corrected before merging
    a = intake.log_contact(world.sam, contact_draft(world.clock, child("Zara", "Ali", nhs_number="9434765919")))
    b = intake.log_contact(
        world.sam, contact_draft(world.clock, child("Zahra", "Ali", date(2019, 5, 5), nhs_number="9434765919"))
    )
    kept, merged = a.child_person_ids[0], b.child_person_ids[0]
    page = _page(bench)
    assert page.pairs_model.index(0, PairColumn.WHY).data() == "same NHS number"
    assert page.pairs_model.index(0, PairColumn.BORN).data() == "04/05/2019 / 05/05/2019"
    manager_dialogs.answer("merge", MergeAnswer(kept, merged, "Same NHS number."), None)
    before = snapshot(world.db)
    page.pairs_panel.focus_table()
    press(bench.qtbot, page.pairs_panel.view, Qt.Key.Key_Return, NONE)
    bench.settle()
    again = manager_dialogs.of("merge")[1]
    assert again.kwargs["answer"] == MergeAnswer(kept, merged, "Same NHS number.")  # nothing typed is lost
    assert "different dates of birth" in again.kwargs["errors"]["merge"]
    after = snapshot(world.db)
    # only the two openings were written (comparing is reading both records, audited)
    audit_before = before.pop("audit_event")
    opened = [row for row in after.pop("audit_event") if row not in audit_before]
    assert [row[4] for row in opened] == ["person.open", "person.open"]
    assert after == before
    assert merging.resolve_person(world.sam, merged) == merged


def test_the_pairs_fill_the_width_of_their_list(bench: Bench) -> None:
    """The last column stretches to the table's edge, as every list's does: the pairs stopped short of it,
    leaving half the table an empty box beside the words saying why two records may be one."""
    _two_records(bench)
    page = DuplicatesPage(bench.window(bench.world.maria))
    bench.qtbot.addWidget(page)
    page.resize(1440, 800)
    page.reload()  # read while out of sight, as a page behind another tab is, then shown
    bench.qtbot.waitUntil(lambda: page.pairs_model.rowCount() == 1)
    page.show()
    bench.settle()
    view = page.pairs_panel.view
    assert view.horizontalHeader().length() >= view.viewport().width() - 1


def test_a_narrow_list_keeps_its_last_columns_words_whole(bench: Bench) -> None:
    """Where there is no room to stretch into, the last column keeps its words' width (the table scrolls
    sideways) rather than shrinking to the header's default and cutting the reason short."""
    _two_records(bench)
    page = DuplicatesPage(bench.window(bench.world.maria))
    bench.qtbot.addWidget(page)
    page.resize(420, 600)
    page.reload()
    bench.qtbot.waitUntil(lambda: page.pairs_model.rowCount() == 1)
    page.show()
    bench.settle()
    view = page.pairs_panel.view
    last = page.pairs_panel.proxy.columnCount() - 1
    assert view.horizontalHeader().length() > view.viewport().width(), "the list is wider than its table here"
    assert view.columnWidth(last) >= view.sizeHintForColumn(last)


def test_an_empty_list_says_so_once_at_the_top_of_its_space(bench: Bench) -> None:
    """No merges yet: the list's words sit under its filter, with its button right after them, not spread down
    the page with gaps between; "0 merges, the newest first." is not said beside "No records have been
    merged."; and the button that acts on a merge is unavailable while there is none."""
    _two_records(bench)
    page = _page(bench)
    page.resize(1440, 900)
    bench.settle()
    merges = page.merges_panel
    assert merges.empty_label.isVisible()
    assert not merges.count_label.isVisible()
    below_filter = merges.empty_label.geometry().top() - merges.filter_edit.geometry().bottom()
    assert 0 < below_filter < 3 * merges.filter_edit.height(), below_filter
    undo = page.undo_button.geometry()
    assert undo.top() - merges.empty_label.geometry().bottom() < 2 * undo.height()
    assert page.pairs_panel.count_label.isVisible(), "a list with rows keeps its count"
    # nothing to undo: the button says so by being unavailable, and Ctrl+U does nothing either
    assert not page.undo_button.isEnabled()
    assert page.compare_button.isEnabled()
