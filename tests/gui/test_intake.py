"""Everything the intake form asks for reaches the database as typed, and the form is keyboard-first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QPushButton, QWidget

from mash_desk.domain.enums import Channel, Concern, HousingTenure, ParentsAware, ReferrerKind, RelationshipKind
from mash_desk.gui.intake_form import IntakeForm
from mash_desk.gui.person_matches import MatchColumn
from mash_desk.gui.widgets import set_combo_value
from mash_desk.services import intake
from mash_desk.services.contact_view import open_contact
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import (
    CTRL,
    CTRL_SHIFT,
    contact_count,
    current_view,
    fill_valid_contact,
    new_contact,
    press,
    type_into,
)
from tests.support import child, contact_draft


def test_every_part_of_the_form_is_saved_as_typed(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    qtbot = desk.qtbot
    window = desk.window("bea")  # business support log contacts too
    form = new_contact(desk, window)
    fill_valid_contact(qtbot, form)
    type_into(qtbot, form.combo("channel"), "E")  # E-mail
    type_into(qtbot, form.combo("referrer_kind"), "M")  # Member of public
    form.check("referrer_anonymity_requested").setChecked(True)
    form.check("immediate_danger").setChecked(True)
    type_into(qtbot, form.line("whereabouts"), "With her aunt")
    concerns = form.top["concerns"]
    concerns.setFocus()
    QTest.keyClick(concerns, Qt.Key.Key_Space)  # the first concern (neglect) is current
    QTest.keyClick(concerns, Qt.Key.Key_Right)
    QTest.keyClick(concerns, Qt.Key.Key_Space)  # physical abuse
    type_into(qtbot, form.line("address_line1"), "4 Hill Road")
    type_into(qtbot, form.line("postcode"), "lu1 3ab")
    type_into(qtbot, form.combo("tenure"), "T")  # temporary accommodation
    child = form.child_editors[0]
    type_into(qtbot, child.line("first_language"), "Polish")
    child.check("interpreter_needed").setChecked(True)
    press(qtbot, form.line("postcode"), Qt.Key.Key_A, CTRL_SHIFT)  # Ctrl+Shift+A: an adult
    adult = form.adult_editors[0]
    assert adult.line("family_name").hasFocus()  # an adult starts at the family name, like a child
    QTest.keyClicks(adult.line("family_name"), "Nowak")
    type_into(qtbot, adult.line("given_names"), "Marek")
    type_into(qtbot, adult.combo("relationship"), "Partner")
    adult.check("alleged_perpetrator").setChecked(True)
    with qtbot.waitSignal(form.contact_saved, timeout=15_000) as saved:
        press(qtbot, adult.line("family_name"), Qt.Key.Key_S, CTRL)
    detail = open_contact(desk.world.sam, saved.args[0].id)
    assert detail.channel is Channel.EMAIL
    assert detail.referrer_kind is ReferrerKind.MEMBER_OF_PUBLIC
    assert detail.referrer_anonymity_requested
    assert detail.immediate_danger
    assert detail.whereabouts == "With her aunt"
    assert set(detail.concerns) == {Concern.NEGLECT, Concern.PHYSICAL_ABUSE}
    assert detail.household is not None
    assert detail.household.postcode == "LU1 3AB"
    assert detail.household.tenure is HousingTenure.TEMPORARY
    assert detail.children[0].person.first_language == "Polish"
    assert detail.children[0].person.interpreter_needed
    assert detail.adults[0].relationship is RelationshipKind.PARTNER_OF_PARENT
    assert detail.adults[0].alleged_perpetrator
    assert detail.referral_source == "6"


def test_the_form_reads_top_to_bottom_with_the_tab_key(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("sam")
    form = new_contact(desk, window)
    child = form.child_editors[0]
    assert child.line("family_name").hasFocus()
    expected = [child.line("given_names"), child.line("date_of_birth"), child.line("expected_date_of_birth")]
    widget: QWidget | None = child.line("family_name")
    for following in expected:
        widget = next_tab_stop(widget)
        assert widget is following
    assert form.save_button.text() == "Save contact (Ctrl+S)"
    for button in form.findChildren(QPushButton) + window.findChildren(QPushButton):
        assert button.text() or button.accessibleName(), button.objectName()


def next_tab_stop(widget: QWidget | None) -> QWidget | None:
    assert widget is not None
    candidate = widget.nextInFocusChain()
    while candidate is not None and not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
        candidate = candidate.nextInFocusChain()
    return candidate


def test_every_window_action_has_a_visible_shortcut(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    window = desk.window("sam")
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu) or menu_action.text() in ("&Contact",):
            continue
        if menu_action.text() == "&Partnership":
            # reached by mnemonics by design (gui/partnership/area.py): Alt+P, then each item's own letter
            letters = [action.text().split("&", 1)[1][:1].lower() for action in menu.actions() if "&" in action.text()]
            assert len(letters) == len(menu.actions()) == len(set(letters)), [a.text() for a in menu.actions()]
            continue
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            if menu_action.text() == "&Partnership":
                # reached by mnemonics, Alt+P then the letter (see gui/partnership/area.py)
                assert "&" in action.text(), action.text()
                continue
            assert not action.shortcut().isEmpty(), action.text()
            assert action.shortcut().toString() in action.toolTip()
    take_next = window.queues.findChild(QPushButton, "take_next_button")
    assert take_next is not None
    assert take_next.text() == "Take next (Ctrl+T)"
    press(desk.qtbot, window.queues, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.queues.tabs.currentIndex() == 1


def test_an_adult_who_made_the_contact_or_lives_elsewhere_is_recorded_so(desk: Desk, dialogs: Dialogs) -> None:
    """The two facts the family letter's addressee rule needs, typed at intake; a wrong one is refused at its box."""
    from sqlalchemy import select

    from mash_desk.store.models import Contact, ContactAdult, HouseholdMember
    from tests.support import unchanged

    dialogs.answer("rag", None)  # once saved into her own work it goes on to its rating: Esc leaves it
    qtbot = desk.qtbot
    window = desk.window("sam")
    form = new_contact(desk, window)
    fill_valid_contact(qtbot, form)  # a professional referrer: PC Amy Stone
    type_into(qtbot, form.line("address_line1"), "4 Hill Road")
    press(qtbot, form.line("address_line1"), Qt.Key.Key_A, CTRL_SHIFT)
    mother = form.adult_editors[0]
    QTest.keyClicks(mother.line("given_names"), "Grace")
    type_into(qtbot, mother.line("family_name"), "Okonkwo")
    type_into(qtbot, mother.combo("relationship"), "Mother")
    mother.check("parental_responsibility").setChecked(True)
    mother.check("is_referrer").setChecked(True)
    with unchanged(desk.world.db, "a professional referrer marked as one of the family"):
        with qtbot.waitSignal(form.save_failed, timeout=15_000):
            press(qtbot, mother.line("family_name"), Qt.Key.Key_S, CTRL)
        desk.settle()
    message = form.errors.message_at("adults.0.is_referrer")
    assert message is not None
    assert "professional referrer" in message
    # the mother rang in herself, and asked not to be named; the father lives elsewhere
    type_into(qtbot, form.combo("referrer_kind"), "F")  # Family member
    form.check("referrer_anonymity_requested").setChecked(True)
    press(qtbot, mother.line("family_name"), Qt.Key.Key_A, CTRL_SHIFT)
    father = form.adult_editors[1]
    QTest.keyClicks(father.line("given_names"), "Emeka")
    type_into(qtbot, father.line("family_name"), "Okonkwo")
    type_into(qtbot, father.combo("relationship"), "Father")
    father.check("parental_responsibility").setChecked(True)
    assert father.check("lives_with_child").isChecked()  # the usual case is ticked already
    father.check("lives_with_child").setChecked(False)
    with qtbot.waitSignal(form.contact_saved, timeout=15_000) as saved:
        press(qtbot, father.line("family_name"), Qt.Key.Key_S, CTRL)
    with desk.world.db.session() as session:
        contact = session.get(Contact, saved.args[0].id)
        assert contact is not None
        adults = session.execute(
            select(ContactAdult.relationship_to_children, ContactAdult.is_referrer).where(
                ContactAdult.contact_id == contact.id
            )
        ).all()
        assert {(kind.value, flag) for kind, flag in adults} == {("mother", True), ("father", False)}
        members = set(
            session.scalars(
                select(HouseholdMember.person_id).where(HouseholdMember.household_id == contact.household_id)
            )
        )
        links = dict(
            session.execute(
                select(ContactAdult.relationship_to_children, ContactAdult.person_id).where(
                    ContactAdult.contact_id == contact.id
                )
            ).all()
        )
        assert links[RelationshipKind.MOTHER] in members
        assert links[RelationshipKind.FATHER] not in members


def test_a_child_named_another_way_with_a_slipped_birthday_is_offered_and_linked(desk: Desk, dialogs: Dialogs) -> None:
    """Issue 10: "Mohd" for Mohammed and the day and month swapped still find the child on record."""
    del dialogs
    world, qtbot = desk.world, desk.qtbot
    earlier = intake.log_contact(world.sam, contact_draft(world.clock, child("Mohammed", "Khan", date(2015, 3, 8))))
    intake.log_contact(world.sam, contact_draft(world.clock, child("Mohammed", "Khan", date(2016, 3, 4))))
    form = new_contact(desk, desk.window("sam"))
    editor = form.child_editors[0]
    type_into(qtbot, editor.line("given_names"), "Mohd")
    type_into(qtbot, editor.line("family_name"), "Khan")
    with qtbot.waitSignal(form.matches.searched, timeout=10_000):
        type_into(qtbot, editor.line("date_of_birth"), "03/08/2015")  # 8 March, typed month first
    selected = form.matches.selected()
    assert selected is not None
    assert selected.person_id == earlier.child_person_ids[0]
    assert "date of birth with day and month swapped" in selected.reasons
    press(qtbot, editor.line("date_of_birth"), Qt.Key.Key_L)  # Ctrl+L links the child found
    assert editor.existing_person_id == earlier.child_person_ids[0]


def save_refused(desk: Desk, form: IntakeForm, widget: QWidget) -> None:
    """Ctrl+S from ``widget``, then wait for the form to come back with what to put right."""
    with desk.qtbot.waitSignal(form.save_failed, timeout=15_000):
        press(desk.qtbot, widget, Qt.Key.Key_S, CTRL)


def test_what_to_put_right_is_a_list_that_takes_you_to_each_field(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    qtbot = desk.qtbot
    form = new_contact(desk, desk.window("sam"))
    child = form.child_editors[0]
    type_into(qtbot, child.line("nhs_number"), "123")  # a bad NHS number, and nothing else typed
    before = contact_count(desk.world.db)
    save_refused(desk, form, child.line("nhs_number"))
    assert contact_count(desk.world.db) == before  # nothing written
    problems = form.problems
    assert problems.isVisible()
    count = problems.count()
    assert count >= 5
    assert f"{count} things to put right" in form.banner.text()
    texts = [problems.item(row).text() for row in range(count)]

    # in the order the form asks, each saying where it is
    def first(start: str) -> int:
        return next(i for i, text in enumerate(texts) if text.startswith(start))

    assert texts[0].startswith("Referral source:")
    assert first("Referral source") < first("Child 1 — Given names:") < first("Child 1 — NHS number:")
    assert first("Child 1 — NHS number:") < first("What the referrer says is happening")
    assert first("What the referrer says is happening") < first("Are the parents or carers aware of it?")
    row = next(i for i, text in enumerate(texts) if text.startswith("Are the parents or carers aware of it?"))
    problems.setFocus()
    problems.setCurrentRow(row)
    QTest.keyClick(problems, Qt.Key.Key_Return)  # Enter takes the cursor to the field
    assert form.combo("parents_aware").hasFocus()
    given = first("Child 1 — Given names:")
    QTest.mouseClick(
        problems.viewport(), Qt.MouseButton.LeftButton, pos=problems.visualItemRect(problems.item(given)).center()
    )
    assert child.line("given_names").hasFocus()


def test_whether_the_parents_know_is_asked_and_no_says_why(desk: Desk, dialogs: Dialogs) -> None:
    dialogs.answer("rag", None)  # once saved into his own work it goes on to its rating: Esc leaves it
    qtbot = desk.qtbot
    window = desk.window("sam")
    form = new_contact(desk, window)
    fill_valid_contact(qtbot, form)
    aware = form.combo("parents_aware")
    reason = form.line("parents_not_aware_reason")
    assert not reason.isEnabled()  # why not is asked only for no
    set_combo_value(aware, "")  # not answered
    before = contact_count(desk.world.db)
    save_refused(desk, form, aware)
    assert form.errors.message_at("parents_aware") == (
        "Say whether the parents or carers know of this contact: yes, no or not known."
    )
    assert aware.hasFocus()
    set_combo_value(aware, ParentsAware.NO)
    assert reason.isEnabled()
    save_refused(desk, form, aware)
    assert form.errors.message_at("parents_not_aware_reason") == (
        "Say why the parents or carers are not aware of this contact."
    )
    assert contact_count(desk.world.db) == before  # twice refused, nothing written
    type_into(qtbot, reason, "Mother's partner may read any letter.")
    with qtbot.waitSignal(form.contact_saved, timeout=15_000) as saved:
        press(qtbot, reason, Qt.Key.Key_S, CTRL)
    detail = open_contact(desk.world.sam, saved.args[0].id)
    assert (detail.parents_aware, detail.parents_not_aware_reason) == (
        ParentsAware.NO,
        "Mother's partner may read any letter.",
    )
    desk.settle()
    shown = current_view(window).findChild(QLabel, "parents_aware_value")  # the contact opens on saving
    assert shown is not None
    assert shown.text() == "No: Mother's partner may read any letter."


def test_the_story_comes_before_the_tick_boxes_and_hints_are_not_data(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    form = new_contact(desk, desk.window("sam"))
    narrative, concerns = form.top["narrative"], form.top["concerns"]
    assert narrative.mapTo(form, narrative.rect().topLeft()).y() < concerns.mapTo(form, concerns.rect().topLeft()).y()
    # a hint says what goes in a field; none could be taken for a phone number, a postcode or an e-mail
    hints = [w.placeholderText() for w in form.findChildren(QLineEdit) if w.placeholderText()]
    assert hints
    assert not [hint for hint in hints if any(c.isdigit() for c in hint.replace("dd/mm/yyyy", "").replace("10 ", ""))]
    assert not [hint for hint in hints if "@" in hint or hint.startswith("e.g.")]


def test_the_matches_show_address_and_parents_whole_and_which_children_are_unlinked(
    desk: Desk, dialogs: Dialogs
) -> None:
    del dialogs
    world, qtbot = desk.world, desk.qtbot
    earlier = intake.log_contact(
        world.sam, contact_draft(world.clock, child("Amira", "Hussain", date(2019, 5, 4), nhs_number="9434765919"))
    )
    window = desk.window("sam")
    window.resize(1280, 800)
    form = new_contact(desk, window)
    amira = form.child_editors[0]
    type_into(qtbot, amira.line("given_names"), "Amira")
    with qtbot.waitSignal(form.matches.searched, timeout=10_000):
        type_into(qtbot, amira.line("family_name"), "Husain")
    panel = form.matches
    model = panel.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).person_id == earlier.child_person_ids[0])
    identity = model.data(model.index(row, MatchColumn.IDENTITY))
    assert identity == "12 Park Street, Luton, LU1 3AB\nLayla Hussain (mother)"
    who = model.data(model.index(row, MatchColumn.WHO))
    assert who.startswith("Amira Hussain\nborn 04/05/2019\nNHS 943 476 5919\n(")
    # every column fits the panel: nothing runs off the side behind a scroll bar
    desk.settle()
    assert panel.view.horizontalHeader().length() <= panel.view.viewport().width()
    assert "Amira Husain: not linked, a new record will be made" in panel.children_label.text()
    press(qtbot, amira.line("family_name"), Qt.Key.Key_L)  # Ctrl+L
    assert "Amira Hussain: linked to an existing record" in panel.children_label.text()
    press(qtbot, form.add_child_button, Qt.Key.Key_C, CTRL_SHIFT)  # another child, not linked yet
    QTest.keyClicks(form.child_editors[1].line("given_names"), "Yusuf")
    assert "1 child not linked to an existing record:" in panel.children_label.text()
    assert "Yusuf Hussain: not linked, a new record will be made" in panel.children_label.text()
