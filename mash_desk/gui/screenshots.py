"""``mash-desk screenshots --out DIR``: every screen and dialog, rendered offscreen from demo data.

So anyone can check what a person sees without a display: the sign-in dialog, each role's work
queues, the intake form with its validation messages, the contact view, the break-the-glass prompt
for a restricted contact, each action dialog, the manager's and the administrator's pages and the
idle lock, in the light and the dark theme
(``--scale 2`` renders them at 200%). Everything happens in a temporary folder; the user's own
data folder is never touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from mash_desk.credentials import MemoryStore
from mash_desk.domain.enums import Confidentiality, ConsentStatus, OverrideBasis, Rag
from mash_desk.domain.errors import DatabaseUnavailable
from mash_desk.gui.about_dialog import AboutDialog
from mash_desk.gui.admin.shots import composite, shoot_admin, shoot_lock
from mash_desk.gui.app import application
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.dialogs.agency import AgencyChecksDialog, AgencyReturnDialog, ReturnRequest
from mash_desk.gui.dialogs.conflict import ConflictDialog
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.decision import ChildChoice, DecisionDialog
from mash_desk.gui.dialogs.handoff import HandOffDialog
from mash_desk.gui.dialogs.rag import RagAnswer, RagDialog
from mash_desk.gui.dialogs.restricted import BreakGlassDialog
from mash_desk.gui.dialogs.text import TextDialog
from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.manager.shots import shoot_manager
from mash_desk.gui.messages import CrashDialog, ErrorDialog
from mash_desk.gui.screenshot_data import Cast, build_cast, try_generate_demo
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.widgets import set_combo_value
from mash_desk.paths import DATA_DIR_ENV, settings_file
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile
from mash_desk.services.admin import prepare_database
from mash_desk.services.context import utc_now
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.screening import ConsentDraft
from mash_desk.services.signin import SignedIn, sign_in
from mash_desk.store.database import Database

SHOT_SIZE = (1440, 900)
SCALED_SHOT_SIZE = (1280, 720)  # a 2560x1440 screen at 200%: the tight case for large text


@contextmanager
def _temporary_data_dir() -> Iterator[Path]:
    previous = os.environ.get(DATA_DIR_ENV)
    with tempfile.TemporaryDirectory(prefix="mash-desk-shots-") as folder:
        os.environ[DATA_DIR_ENV] = folder
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop(DATA_DIR_ENV, None)
            else:
                os.environ[DATA_DIR_ENV] = previous


def render_screenshots(out: Path, *, scale: float = 1.0, theme: str = "both") -> list[Path]:
    """Render every screen into ``out``; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if scale != 1:
        if QApplication.instance() is not None:
            raise RuntimeError("the display scale must be chosen before the application starts")
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    out.mkdir(parents=True, exist_ok=True)
    with _temporary_data_dir() as folder:
        app = application()
        db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
        try:
            prepare_database(db)
            now = utc_now()
            try_generate_demo(db, 400, now - timedelta(minutes=1))
            cast = build_cast(db, now)
            shooter = Shooter(app, db, out, "" if scale == 1 else f"@{scale:g}x")
            shooter.window_size = SHOT_SIZE if scale == 1 else SCALED_SHOT_SIZE
            schemes = {"light": [Qt.ColorScheme.Light], "dark": [Qt.ColorScheme.Dark]}.get(
                theme, [Qt.ColorScheme.Light, Qt.ColorScheme.Dark]
            )
            for scheme in schemes:
                shooter.shoot_everything(scheme, cast, full=scheme is schemes[0])
            shooter.close()
            return shooter.written
        finally:
            db.dispose()


class Shooter:
    """Builds each screen as a person would see it, waits for its data, and saves it as a PNG."""

    def __init__(self, app: QApplication, db: Database, out: Path, suffix: str) -> None:

        self.app = app
        self.db = db
        self.out = out
        self.suffix = suffix
        self.theme = Theme(app, forced=Qt.ColorScheme.Light)
        self.runner = TaskRunner(app)
        self.settings = QSettings(str(settings_file()), QSettings.Format.IniFormat)
        self.written: list[Path] = []
        self.variant = ""
        self.window_size = SHOT_SIZE

    def settle(self) -> None:
        """Let every background read finish and every repaint happen."""
        for _ in range(6):
            self.app.processEvents()
            self.runner.wait_idle(20_000)
            self.app.processEvents()

    def save(self, widget: QWidget, name: str) -> None:
        self.settle()
        self.save_pixmap(widget.grab(), name)

    def save_pixmap(self, picture: QPixmap, name: str) -> None:
        path = self.out / f"{name}{self.variant}{self.suffix}.png"
        if not picture.save(str(path)):
            raise OSError(f"could not write {path}")
        self.written.append(path)

    def show(self, widget: QWidget, name: str, size: tuple[int, int] | None = None) -> None:
        if size is not None:
            widget.resize(*size)
        else:
            widget.resize(widget.size().expandedTo(widget.sizeHint()))
        widget.show()
        self.save(widget, name)

    def signed_in_as(self, login: str) -> SignedIn:

        profile = ConnectionProfile(name="demo", kind=EMBEDDED, sqlite_path=str(self.db.url.database))
        return sign_in(profile, login, None, db=self.db)

    def window(self, login: str) -> MainWindow:

        window = MainWindow(
            self.signed_in_as(login), self.runner, self.theme, self.settings, utc_now, watch_changes=False
        )
        window.resize(*self.window_size)
        window.show()
        self.settle()
        return window

    def shoot_everything(self, scheme: Qt.ColorScheme, cast: Cast, *, full: bool) -> None:
        self.theme.force(scheme)
        self.variant = "" if scheme is Qt.ColorScheme.Light else "-dark"
        self.sign_in_dialogs()
        self.queues(full=full)
        self.intake()
        self.contact(cast, full=full)
        self.restricted(cast)
        shoot_manager(self, cast, full=full)
        shoot_admin(self, full=full)
        shoot_lock(self, full=full)
        if full:
            self.dialogs()
        else:
            self.dialogs(only=("consent", "rag"))

    # --- screens -----------------------------------------------------------------------------------

    def sign_in_dialogs(self) -> None:

        embedded = ConnectionProfile(
            name="This computer (embedded database)", kind=EMBEDDED, sqlite_path=str(self.db.url.database)
        )
        shared = ConnectionProfile(
            name="Luton MASH (shared)",
            kind=POSTGRESQL,
            host="mash-db.council.local",
            database="mash_desk",
            sslmode="verify-full",
            managed=True,
        )
        dialog = ConnectionDialog(self.runner, MemoryStore(), self.settings, [shared, embedded], preselect=embedded)
        dialog.username_edit.setText("sam")
        self.show(dialog, "01-sign-in")
        dialog.close()
        dialog = ConnectionDialog(
            self.runner, MemoryStore(available=False), self.settings, [shared, embedded], preselect=shared, login="sam"
        )
        self.show(dialog, "02-sign-in-shared-no-keyring")
        dialog.close()

    def queues(self, *, full: bool) -> None:
        window = self.window("sam")
        self.save(window, "03-work-queues-my-work")
        if full:
            window.queues.show_key("unassigned")
            self.save(window, "04-work-queues-unassigned")
        window.close()
        if not full:
            return
        for login, key, name in (
            ("maria", "decisions", "05-manager-decisions"),
            ("pc_jones", "agency", "06-police-agency-requests"),
            ("ava", "handoffs", "07-assessment-team-hand-offs"),
        ):
            window = self.window(login)
            window.queues.show_key(key)
            self.save(window, name)
            window.close()

    def intake(self) -> None:
        window = self.window("sam")
        form = window.new_contact()
        assert form is not None
        first = form.child_editors[0]
        first.line("given_names").setText("Amira")
        first.line("family_name").setText("Husain")
        first.line("date_of_birth").setText("04/05/2019")
        form.search_for_child(first)
        second = form.add_child()
        second.line("given_names").setText("Yusuf")
        second.line("family_name").setText("Hussain")
        second.line("nhs_number").setText("123 456 7890")
        second.line("date_of_birth").setText("31/02/2016")
        form.line("postcode").setText("LU1 3A")
        form.save()
        self.settle()
        form.search_for_child(first)
        form.matches.search_now()
        self.settle()
        self.save(window, "08-intake-validation")
        area = form.scroll_area
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum() // 2)
        self.save(window, "09-intake-referrer-and-concerns")
        form.discard_now()
        window.close()

    def contact(self, cast: Cast, *, full: bool) -> None:
        window = self.window("sam")
        view = window.open_contact(cast.showcase)
        self.settle()
        self.save(window, "10-contact-view")
        area = view.findChild(QScrollArea, "scroll_area")
        if area is not None:
            area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
            self.save(window, "11-contact-view-lower")
        window.close()
        if not full:
            return
        window = self.window("mark")
        window.open_contact(cast.awaiting_authorisation)
        self.save(window, "12-manager-authorise")
        window.close()
        window = self.window("pc_jones")
        window.open_contact(cast.overdue)
        self.save(window, "13-police-view-of-contact")
        window.close()

    def restricted(self, cast: Cast) -> None:
        """Sam opens the contact Maria restricted: the prompt over his window, then his too-short reason
        refused at the field (by the service: nothing is written); and Maria's own view, with its banner."""
        window = self.window("sam")
        seen: list[BreakGlassDialog] = []
        looker = QTimer()
        looker.setInterval(50)

        def look() -> None:
            dialog = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, BreakGlassDialog) and w.isVisible() and w not in seen
                ),
                None,
            )
            if dialog is None:
                return
            seen.append(dialog)
            self.app.processEvents()
            if len(seen) == 1:
                self.save_pixmap(composite(window, dialog), "14-break-the-glass")
                dialog.text_edit.setPlainText("Checking")
                dialog.try_accept()
            else:
                looker.stop()
                self.save_pixmap(composite(window, dialog), "15-break-the-glass-reason-refused")
                dialog.reject()

        looker.timeout.connect(look)
        looker.start()
        window.open_contact(cast.restricted)
        self.settle()
        looker.stop()
        window.close()
        window = self.window("maria")
        window.open_contact(cast.restricted)
        self.save(window, "16-contact-restricted")
        window.close()

    def dialogs(self, only: tuple[str, ...] = ()) -> None:

        now = utc_now()
        agencies = [
            ("POLICE", "Police"),
            ("HEALTH", "Health"),
            ("EDUCATION", "Education"),
            ("HOUSING", "Housing"),
            ("PROBATION", "Probation Service"),
            ("DA_SERVICE", "Domestic Abuse Service"),
        ]
        managers = [("maria", "Maria Lopez"), ("mark", "Mark Evans")]
        wanted = set(only)

        def want(name: str) -> bool:
            return not wanted or name in wanted

        if want("rag"):
            rag = RagDialog(None, "MASH-0000042", Rag.AMBER)
            rag.set_answer(RagAnswer(Rag.RED, ""))
            rag.show_errors({"reason": "Say why the rating is changing: every change needs a reason."})
            self.show(rag, "20-dialog-rag-reason-required")
        if want("consent"):
            consent = ConsentDialog(None, "MASH-0000042", agencies, managers, now.date())
            consent.set_answer(
                ConsentDraft(
                    status=ConsentStatus.NOT_SOUGHT,
                    parent_aware=False,
                    parent_not_aware_reason="Telling the mother's partner could put the children at risk.",
                    override=True,
                    override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
                    override_reason="Seeking consent would put the child at risk of significant harm.",
                    override_authorised_by="maria",
                )
            )
            self.show(consent, "21-dialog-consent-override")
        if not want("others"):
            return
        checks = AgencyChecksDialog(None, "MASH-0000042", agencies, {"HEALTH"})
        self.show(checks, "22-dialog-ask-agencies")
        request = ReturnRequest(
            7,
            42,
            "MASH-0000042",
            "Amira Hussain, Yusuf Hussain",
            "Police",
            "Any domestic abuse call-outs to 12 Park Street?",
            now + timedelta(hours=2),
        )
        agency_return = AgencyReturnDialog(None, request)
        set_combo_value(agency_return.confidentiality_combo, Confidentiality.AGENCY_CONFIDENTIAL)
        self.show(agency_return, "23-dialog-agency-return")
        decision = DecisionDialog(
            None,
            "MASH-0000042",
            [ChildChoice(1, "Amira Hussain", ""), ChildChoice(2, "Yusuf Hussain", "Proposed by Sam Carter: Level 2")],
            1,
        )
        decision.set_answer(DecisionProposal(1, 3, "", "N1", "Chronic neglect"))
        decision.show_errors(
            {
                "outcome": "Choose an outcome from the list.",
                "rationale": "Write the rationale in at least 20 characters.",
            }
        )
        self.show(decision, "24-dialog-decision")
        handoff = HandOffDialog(
            None,
            "MASH-0000042",
            [(2, "Assessment Team"), (3, "Early Help Team")],
            "Amira Hussain: Child and family assessment (section 17)",
        )
        self.show(handoff, "25-dialog-hand-off")
        back = TextDialog(
            None,
            title="Send MASH-0000042 back",
            intro="Say what needs to change before you can authorise.",
            caption="&What needs to change:",
            ok_text="Send back",
            field="comments",
            required=True,
        )
        self.show(back, "26-dialog-send-back")
        conflict = ConflictDialog(
            None,
            reference="MASH-0000042",
            changed_by="Priya Shah",
            changed_at=now - timedelta(minutes=2),
            theirs={
                "Status": "Screened",
                "RAG": "AMBER",
                "Worker": "Priya Shah",
                "Consent": "Given",
                "Latest entry": "Rated AMBER — Priya Shah",
            },
            yours={"RAG": "RED", "Reason": "Amira's disclosure suggests domestic abuse in the home now."},
        )
        self.show(conflict, "27-dialog-conflict-side-by-side")
        error = ErrorDialog(
            None,
            "The contact was not saved",
            f"{DatabaseUnavailable('The database server could not be reached (connection refused).')}\n\n"
            "Nothing was saved, and everything you typed is still here (and kept on this computer).",
            retry=True,
            edit=True,
        )
        self.show(error, "28-dialog-save-failed-retry")
        about = AboutDialog(self.runner, self.signed_in_as("sam"), None)
        self.show(about, "29-dialog-about")
        crash = CrashDialog.for_bug(None, "Traceback (most recent call last):\n  ...\nKeyError: 'example'")
        self.show(crash, "30-dialog-crash")
        for widget in (checks, agency_return, decision, handoff, back, conflict, error, about, crash):
            widget.close()

    def close(self) -> None:
        self.runner.shutdown()
