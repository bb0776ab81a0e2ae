"""The practitioner's screens for ``mash-desk screenshots``: signing in, the work queues, the intake
form with its validation messages, the contact view, and a restricted record behind its glass."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QScrollArea

from mash_desk.credentials import MemoryStore
from mash_desk.gui.connection_dialog import ConnectionDialog
from mash_desk.gui.dialogs.restricted import BreakGlassDialog
from mash_desk.profiles import EMBEDDED, POSTGRESQL, ConnectionProfile
from mash_desk.tools.screenshots.cast import Cast
from mash_desk.tools.screenshots.shooter import Shooter, composite


def shoot_sign_in(shooter: Shooter) -> None:
    """The sign-in dialog, embedded and shared (a machine without a keyring)."""
    embedded = ConnectionProfile(
        name="This computer (embedded database)", kind=EMBEDDED, sqlite_path=str(shooter.embedded_path)
    )
    shared = ConnectionProfile(
        name="Luton MASH (shared)",
        kind=POSTGRESQL,
        host="mash-db.council.local",
        database="mash_desk",
        sslmode="verify-full",
        managed=True,
    )
    dialog = ConnectionDialog(shooter.runner, MemoryStore(), shooter.settings, [shared, embedded], preselect=embedded)
    dialog.username_edit.setText("sam")
    shooter.show(dialog, "01-sign-in")
    dialog.close()
    dialog = ConnectionDialog(
        shooter.runner,
        MemoryStore(available=False),
        shooter.settings,
        [shared, embedded],
        preselect=shared,
        login="sam",
    )
    shooter.show(dialog, "02-sign-in-shared-no-keyring")
    dialog.close()


def shoot_queues(shooter: Shooter, *, full: bool) -> None:
    window = shooter.window("sam")
    shooter.save(window, "03-work-queues-my-work")
    if full:
        window.queues.show_key("unassigned")
        shooter.save(window, "04-work-queues-unassigned")
    window.close()
    if not full:
        return
    for login, key, name in (
        ("pc_jones", "agency", "06-police-agency-requests"),
        ("ava", "handoffs", "07-assessment-team-hand-offs"),
    ):
        window = shooter.window(login)
        window.queues.show_key(key)
        shooter.save(window, name)
        window.close()


def shoot_intake(shooter: Shooter) -> None:
    window = shooter.window("sam")
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
    shooter.settle()
    form.search_for_child(first)
    form.matches.search_now()
    shooter.settle()
    shooter.save(window, "08-intake-validation")
    area = form.scroll_area
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum() // 2)
    shooter.save(window, "09-intake-referrer-and-concerns")
    form.discard_now()
    window.close()


def shoot_contact(shooter: Shooter, cast: Cast, *, full: bool) -> None:
    window = shooter.window("sam")
    view = window.open_contact(cast.showcase)
    shooter.settle()
    shooter.save(window, "10-contact-view")
    area = view.findChild(QScrollArea, "scroll_area")
    if area is not None:
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        shooter.save(window, "11-contact-view-lower")
    window.close()
    if not full:
        return
    window = shooter.window("mark")
    window.open_contact(cast.awaiting_authorisation)
    shooter.save(window, "12-manager-authorise")
    window.close()
    window = shooter.window("pc_jones")
    window.open_contact(cast.overdue)
    shooter.save(window, "13-police-view-of-contact")
    window.close()


def shoot_restricted(shooter: Shooter, cast: Cast) -> None:
    """Sam opens the contact Maria restricted: the prompt over his window, then his too-short reason
    refused at the field (by the service: nothing is written); and Maria's own view, with its banner."""
    window = shooter.window("sam")
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
        shooter.app.processEvents()
        if len(seen) == 1:
            shooter.save_pixmap(composite(window, dialog), "14-break-the-glass")
            dialog.text_edit.setPlainText("Checking")
            dialog.try_accept()
        else:
            looker.stop()
            shooter.save_pixmap(composite(window, dialog), "15-break-the-glass-reason-refused")
            dialog.reject()

    looker.timeout.connect(look)
    looker.start()
    window.open_contact(cast.restricted)
    shooter.settle()
    looker.stop()
    window.close()
    window = shooter.window("maria")
    window.open_contact(cast.restricted)
    shooter.save(window, "16-contact-restricted")
    window.close()
