"""The dialogs outside the action flow work from the keyboard, like those in ``test_keyboard_forms``:
the risk tools (DASH, GCP2, the MARAC referral), the pattern dialogs, the person's details, the
manager's merge, reassign and batch-print dialogs, finding a person, going to a contact, signing in,
the idle lock and changing a password. Each has unique Alt keys, a label for every field, and Tab
from any widget reaches every other."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from mash_desk.credentials import MemoryStore
from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.periods import london_date
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.dialogs.dash import DashDialog, VictimChoice
from mash_desk.gui.dialogs.gcp import ChildGcp, GcpDialog
from mash_desk.gui.dialogs.person_details import AliasDialog, CorrectPersonDialog
from mash_desk.gui.dialogs.restricted import BreakGlassDialog
from mash_desk.gui.find_person import FindPersonDialog
from mash_desk.gui.idle_lock import LockDialog
from mash_desk.gui.manager.batch_print import BatchPrintDialog
from mash_desk.gui.manager.merge_dialog import MergeDialog
from mash_desk.gui.manager.reassign_dialog import ReassignDialog, Worker
from mash_desk.gui.marac_dialog import MaracReferralDialog
from mash_desk.gui.messages import _input_dialog  # the dialog ask_text shows (Go to a contact), unshown
from mash_desk.gui.password_dialog import ChangePasswordDialog
from mash_desk.gui.pattern_panel import ConversationDialog, PatternDecisionDialog
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile
from mash_desk.services import risk_tools
from mash_desk.services.merging import compare_people
from mash_desk.services.person_record import open_person_record
from tests.gui.conftest import window_context
from tests.gui.test_keyboard_forms import check_dialogs as check_keyboard_of_dialogs
from tests.support import World, case_at, child

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # the widgets are the same whatever the database


def check_dialogs(qtbot: QtBot, dialogs: dict[str, QDialog]) -> None:
    """``test_keyboard_forms.check_dialogs`` on dialogs made here (closed with the test)."""
    for dialog in dialogs.values():
        qtbot.addWidget(dialog)
    check_keyboard_of_dialogs(qtbot, dialogs)


def test_the_risk_and_pattern_dialogs(qtbot: QtBot, world: World) -> None:
    case = case_at(world, ContactStatus.SCREENED, child("Amira"), child("Yusuf", dob=None))
    dash = risk_tools.record_dash(world.sam, case.id, [True] * 15 + [False] * 9)
    today = london_date(world.clock())
    histories = [risk_tools.gcp_history(world.sam, child_id) for child_id in case.child_ids]
    check_dialogs(
        qtbot,
        {
            "dash": DashDialog(None, "MASH-0000042", [VictimChoice(7, "Layla Hussain"), VictimChoice(8, "Jo Bell")]),
            "gcp": GcpDialog(None, "MASH-0000042", [ChildGcp(h.child_id, h.child_name, h) for h in histories], today),
            "marac": MaracReferralDialog(risk_tools.make_marac_referral(world.sam, dash.id)),
            "conversation": ConversationDialog(None, today),
            "pattern decision": PatternDecisionDialog(None, "3 contacts with neglect concerns about a child."),
        },
    )


def test_the_person_and_manager_dialogs(qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme) -> None:
    first = case_at(world, ContactStatus.SCREENED, child("Amira"))
    second = case_at(world, ContactStatus.SCREENED, child("Ameera"))
    record = open_person_record(world.sam, first.child_ids[0])
    kept, merged = compare_people(world.maria, first.child_ids[0], second.child_ids[0])
    workers = [Worker("priya", "Priya Shah", "MASH Team"), Worker("ava", "Ava Green", "Assessment Team")]
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    manager = window_context(runner, world.maria, theme, world.clock)
    check_dialogs(
        qtbot,
        {
            "correct person": CorrectPersonDialog(None, record),
            "alias": AliasDialog(None, "Amira Hussain"),
            "break glass": BreakGlassDialog(
                None, kind="contact", restricted_by="Maria Lopez", restricted_at=world.clock()
            ),
            "merge": MergeDialog(None, kept, merged),
            "reassign": ReassignDialog(None, "MASH-0000007", "Sam Carter", workers),
            "batch print": BatchPrintDialog(manager, [], [], printer, "Printing 0 letters"),
        },
    )


def test_signing_in_locking_and_changing_a_password(
    qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme, settings: QSettings, tmp_path: Path
) -> None:
    embedded = ConnectionProfile(name="This computer", kind=EMBEDDED, sqlite_path=str(tmp_path / "mash.sqlite"))
    shared = ConnectionProfile(name="Luton MASH", kind=POSTGRESQL, host="mash-db.council.local", database="mash")
    actor = world.sam.whoami()
    check_dialogs(
        qtbot,
        {
            "sign in here": ConnectionDialog(runner, MemoryStore(), settings, [shared, embedded], preselect=embedded),
            "sign in shared": ConnectionDialog(
                runner, MemoryStore(available=False), settings, [shared, embedded], preselect=shared, login="sam"
            ),
            "lock with password": LockDialog(actor, passwords=True, minutes=15),
            "lock without": LockDialog(actor, passwords=False, minutes=15),
            "change password": ChangePasswordDialog(
                window_context(runner, world.sam, theme, world.clock), world.logins["sam"]
            ),
        },
    )


def test_finding_a_person_and_going_to_a_contact(qtbot: QtBot, world: World, runner: TaskRunner, theme: Theme) -> None:
    case_at(world, ContactStatus.SCREENED, child("Amira"))
    practitioner = window_context(runner, world.sam, theme, world.clock)
    find = FindPersonDialog(practitioner, None)
    find.query_edit.setText("Amira Hussain")
    qtbot.waitUntil(lambda: find.matches.model.rowCount() > 0, timeout=10_000)  # Tab must leave a full table too
    check_dialogs(
        qtbot,
        {
            "find a person": find,
            "go to a contact": _input_dialog(
                None, "Go to a contact", "Contact &reference (for example MASH-0000123, or just 123):"
            ),
        },
    )
