"""The child's UPN and the reason it is unknown, typed at intake: a bad UPN is shown at its field."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mash_desk.services.contact_view import open_contact
from mash_desk.store.models import Person
from tests.gui.conftest import Desk, Dialogs
from tests.gui.helpers import CTRL, fill_valid_contact, new_contact, press, type_into
from tests.support import unchanged


def test_a_upn_from_no_local_authority_is_shown_at_the_field_and_nothing_is_saved(desk: Desk, dialogs: Dialogs) -> None:
    del dialogs
    form = new_contact(desk, desk.window("sam"))
    fill_valid_contact(desk.qtbot, form)
    upn = form.child_editors[0].line("upn")
    type_into(desk.qtbot, upn, "x999400115001")  # right check letter, but 999 is no local authority
    with unchanged(desk.world.db, "a contact with a UPN from no local authority"):
        with desk.qtbot.waitSignal(form.save_failed, timeout=15_000):
            press(desk.qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
        desk.settle()
    message = form.errors.message_at("children.0.upn")
    assert message is not None
    assert "(999) are not a local authority code" in message
    assert upn.hasFocus()
    assert upn.property("invalid") is True
    assert upn.text() == "x999400115001"


def test_the_reason_for_no_upn_is_chosen_by_keyboard_and_saved(desk: Desk, dialogs: Dialogs) -> None:
    dialogs.answer("rag", None)  # saved into her own work it goes on to its rating: Esc leaves it
    form = new_contact(desk, desk.window("sam"))
    fill_valid_contact(desk.qtbot, form)
    reason = form.child_editors[0].combo("upn_unknown")
    assert reason.currentText() == "— the UPN is known, or not needed —"
    type_into(desk.qtbot, reason, "New")
    assert reason.currentText() == "New to the local authority; the UPN is not known yet"
    with desk.qtbot.waitSignal(form.contact_saved, timeout=15_000) as saved:
        press(desk.qtbot, form.top["narrative"], Qt.Key.Key_S, CTRL)
    person_id = open_contact(desk.world.sam, saved.args[0].id).children[0].person.person_id
    with desk.world.db.session() as session:
        assert session.get_one(Person, person_id).upn_unknown == "UN4"
