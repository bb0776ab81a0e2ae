"""A case audit end to end in the window, from the keyboard, on both databases: set up by the
partnership's auditor → sampled reproducibly → graded by auditors of three agencies (after a refused,
incomplete grading that writes nothing) → actions agreed and one done → the report PDF saved and
read back. The contact and the child's record open from the case page, each opening audited."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QListWidget, QWidget

from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.pickers import SaveFileChoice
from mash_desk.gui.partnership.audit_case_page import AuditCasesPage
from mash_desk.gui.partnership.audit_setup_page import AuditsPage
from mash_desk.gui.person_record import PersonRecordPage
from mash_desk.services import audits
from mash_desk.services.context import utc_now
from tests.audit_cases import NAMES, decided_cases
from tests.gui.conftest import Desk
from tests.support import AuditWatch, snapshot

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
FINDINGS = {
    "sam": ("Children's Social Care", "Requires", "Earlier contacts were not read together."),
    "pc_jones": ("Police", "Good", "Call-outs were shared the same day."),
    "hv_okafor": ("Health", "Inadequate", "The health visitor was not asked at all."),
}


def _type(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def _press(widget: QWidget, key: Qt.Key = Qt.Key.Key_Space, modifiers: Qt.KeyboardModifier = NONE) -> None:
    widget.setFocus()
    QTest.keyClick(widget, key, modifiers)


def _choose(combo: QComboBox, words: str) -> None:
    """Pick an item by typing its first letters, as a person does in a closed combo box."""
    _type(combo, words)
    assert combo.currentText().startswith(words), (combo.currentText(), words)


def _tick(listing: QListWidget, starts: str) -> None:
    """Move down the list to the item and tick it with Space."""
    listing.setFocus()
    QTest.keyClick(listing, Qt.Key.Key_Home)
    for _ in range(listing.count()):
        item = listing.currentItem()
        if item is not None and item.text().startswith(starts):
            QTest.keyClick(listing, Qt.Key.Key_Space)
            assert item.checkState() == Qt.CheckState.Checked
            return
        QTest.keyClick(listing, Qt.Key.Key_Down)
    raise AssertionError(f"no {starts!r} in the list")


def _page(desk: Desk, window: MainWindow, key: str) -> Any:
    area = window.partnership_area
    assert area is not None
    (entry,) = [page for page in area.pages if page.key == key]
    assert entry.action is not None
    entry.action.trigger()  # the Partnership menu's item
    desk.settle()
    return area.page(key)


def test_an_audit_runs_end_to_end_from_the_keyboard(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = desk.world
    world.clock.current = utc_now() - timedelta(days=3)  # the window's clock is the real one
    decided_cases(world, 5)

    # set up, by the partnership's business unit
    window = desk.window("aud")
    page = _page(desk, window, "audits")
    assert isinstance(page, AuditsPage)
    _type(page.title_edit, "Neglect front door audit")
    _choose(page.theme_combo, "Neg")
    page.size_spin.setFocus()
    QTest.keyClick(page.size_spin, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(page.size_spin, "3")
    _type(page.seed_edit, "2026")
    for name in ("Sam Carter", "PC Dan Jones", "Grace Okafor"):
        _tick(page.auditors_list, name)
    _press(page.setup_button)
    desk.settle()
    assert page.setup.banner_text() == "", page.setup.banner_text()
    assert page.detail is not None
    audit_id = page.detail.audit.id
    sampled = tuple(case.contact_id for case in page.detail.cases)
    assert len(sampled) == 3
    assert page.detail.audit.seed == 2026
    assert audits.redraw_sample(world.auditor, audit_id) == sampled  # drawn again from its seed: the same cases

    # graded by auditors of three agencies
    for who, (agency, grade, finding) in FINDINGS.items():
        auditor_window = desk.window(who)
        cases = _page(desk, auditor_window, "audit_cases")
        assert isinstance(cases, AuditCasesPage)
        assert len(cases.rows) == 3
        if who == "hv_okafor":
            _reads_the_case(desk, auditor_window, cases)
            _refused_grading_writes_nothing(desk, cases)
        for _case in range(3):
            view = cases.view
            assert view is not None
            assert view.mine is None
            for combo in cases.answer_combos.values():
                _choose(combo, "Partly")
            _choose(cases.grade_combo, grade)
            _type(cases.learning_edit, f"{agency} learning: nobody put the contacts side by side in time.")
            agency_id = next(i for i, name in view.agencies if name == agency)
            agency_grade, agency_finding = cases.finding_rows[agency_id]
            _choose(agency_grade, grade)
            _type(agency_finding, finding)
            _press(cases.save_button)
            desk.settle()
        assert all(row.my_grade is not None for row in cases.rows)
        assert cases.view is not None
        assert cases.view.mine is not None
        assert cases.form is not None
        assert not cases.form.isEnabled()  # a grade is not changed once made

    # actions, one done; then the report
    desk.focus(window)
    window.partnership_area.refresh()  # type: ignore[union-attr]
    desk.settle()
    assert page.detail.audit.grades_made == 9
    for what, owner, agency in (
        ("Health visitors to be asked at every neglect contact", "Jan Cole", "Health"),
        ("MASH to read the last twelve months of contacts together", "Maria Lopez", "Children"),
    ):
        _type(page.what_edit, what)
        _type(page.owner_edit, owner)
        _choose(page.agency_combo, agency)
        _press(page.add_action_button)
        desk.settle()
    assert len(page.detail.actions) == 2
    page.actions_table.setFocus()
    QTest.keyClick(page.actions_table, Qt.Key.Key_Home, CTRL)
    _type(page.done_note_edit, "Health visitors now join the MASH neglect huddle daily.")
    _press(page.done_button)
    desk.settle()
    states = sorted(a.done_at is not None for a in page.detail.actions)
    assert states == [False, True]
    target = tmp_path / "audit-report.pdf"
    monkeypatch.setattr(SaveFileChoice, "ask", classmethod(lambda _cls, *_a, **_k: target))
    _press(page.report_button)
    desk.settle()
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages]
    assert all("OFFICIAL – SENSITIVE" in p for p in pages)
    text = " ".join(" ".join(pages).split())  # table cells wrap
    assert "OFFICIAL – SENSITIVE" in text
    for agency in ("Children's Social Care", "Police", "Health"):
        assert agency in text
    assert "Inadequate" in text
    assert "nobody put the contacts side by side in time" in text
    assert "Health visitors now join the MASH neglect huddle daily." in text
    for given_name, family_name in NAMES:
        assert given_name not in text
        assert family_name not in text
    if os.environ.get("MASH_DESK_KEEP_PDFS"):  # to look at afterwards
        Path(os.environ["MASH_DESK_KEEP_PDFS"], "audit-report-window.pdf").write_bytes(target.read_bytes())


def _reads_the_case(desk: Desk, window: MainWindow, cases: AuditCasesPage) -> None:
    """The contact and the child's record open read-only in their own tabs, each opening audited."""
    view = cases.view
    assert view is not None
    watch = AuditWatch(desk.world.db)
    _press(cases.open_contact_button)
    desk.settle()
    contact = window.workspace.currentWidget()
    assert isinstance(contact, ContactView)
    _press(cases.open_child_button)
    desk.settle()
    record = window.workspace.currentWidget()
    assert isinstance(record, PersonRecordPage)
    actions: list[str] = []

    def both_opened() -> bool:
        actions.extend(line.action for line in watch.new())
        return {"contact.open", "person.open"} <= set(actions)

    desk.qtbot.waitUntil(both_opened, timeout=15_000)
    assert cases.view is not None
    window.partnership_area.show_page("audit_cases")  # type: ignore[union-attr]


def _refused_grading_writes_nothing(desk: Desk, cases: AuditCasesPage) -> None:
    before = snapshot(desk.world.db)
    _press(cases.save_button)
    desk.settle()
    assert cases.form is not None
    assert cases.form.message_at("grade")
    assert cases.form.message_at("learning")
    assert cases.form.message_at("answers.history_read")
    assert snapshot(desk.world.db) == before


def test_a_set_up_with_gaps_shows_each_message_at_its_field_and_writes_nothing(desk: Desk) -> None:
    world = desk.world
    world.clock.current = utc_now() - timedelta(days=3)
    decided_cases(world, 2)
    window = desk.window("maria")
    page = _page(desk, window, "audits")
    assert isinstance(page, AuditsPage)
    _tick(page.auditors_list, "Sam Carter")  # one agency only
    _type(page.seed_edit, "twelve")
    before = snapshot(world.db)
    _press(page.setup_button)
    desk.settle()
    assert page.setup.message_at("title")
    assert "two agencies" in (page.setup.message_at("auditors") or "")
    assert "whole number" in (page.setup.message_at("seed") or "")
    assert page.title_edit.hasFocus() or page.setup.message_at("title")  # focus goes to the first bad field
    assert snapshot(world.db) == before
    assert page.seed_edit.text() == "twelve"  # what was typed stays
    assert audits.list_audits(world.maria) == []
