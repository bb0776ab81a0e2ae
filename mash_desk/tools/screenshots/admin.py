"""The Administration area and the idle lock for ``mash-desk screenshots``: each admin page as the
administrator sees it (one with a refused value at its field), and a locked window with its prompt."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QThread

from mash_desk.domain.enums import TimescaleKey
from mash_desk.gui.idle_lock import LockDialog
from mash_desk.gui.password_dialog import ChangePasswordDialog
from mash_desk.tools.screenshots.shooter import Shooter, composite


def _let_pdf_paint() -> None:
    """QPdfView paints its pages from a render thread: give it a moment before the picture."""
    deadline = QDeadlineTimer(600)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(50)


def shoot_admin(shooter: Shooter, *, full: bool) -> None:
    """Render the administrator's pages as Ada (the demo hub's administrator) sees them."""
    window = shooter.window("admin")
    area = window.admin_area
    if area is None:
        raise RuntimeError("the administrator's window has no Administration area to show")
    area.show_page("users")
    shooter.settle()
    area.users.select("sam")
    shooter.save(window, "50-admin-users")
    if not full:
        window.close()
        return
    area.show_page("lists")
    shooter.save(window, "51-admin-teams-and-agencies")
    area.show_page("policy")
    shooter.settle()
    area.policy.select(TimescaleKey.AMBER)
    area.policy.amount_edit.setText("0")
    area.policy.save()
    shooter.save(window, "52-admin-timescales-refused")
    area.show_page("letterhead")
    shooter.settle()
    _let_pdf_paint()
    shooter.save(window, "53-admin-letterhead")
    area.show_page("settings")
    shooter.settle()
    area.settings.minutes_edit.setText("45")
    area.settings.save_minutes()
    shooter.save(window, "54-admin-targets-and-locking")
    area.show_page("holds")
    shooter.settle()
    shooter.save(window, "59-admin-family-letter-holds")
    window.close()


def shoot_lock(shooter: Shooter, *, full: bool) -> None:
    """Sam's window with a half-typed contact, locked: nothing of the case shows, the prompt asks who."""
    window = shooter.window("sam")
    form = window.new_contact()
    if form is not None:
        child = form.child_editors[0]
        child.line("given_names").setText("Amira")
        child.line("family_name").setText("Hussain")
    shooter.settle()
    window.idle_lock.lock(15)
    shooter.settle()
    dialog = window.idle_lock.dialog
    if dialog is None:
        raise RuntimeError("the window did not lock")
    shooter.save_pixmap(composite(window, dialog), "55-locked-window")
    shooter.save(dialog, "56-lock-prompt-embedded")
    window.idle_lock.unlock()
    if form is not None:
        form.discard_now()
    window.close()
    if not full:
        return
    prompt = LockDialog(window.session.actor, passwords=True, minutes=15)
    prompt.show_errors({"password": "That password is not right for sam."})
    prompt.adjustSize()
    shooter.show(prompt, "57-lock-prompt-wrong-password")
    prompt.hide()
    prompt.deleteLater()
    change = ChangePasswordDialog(window.context, "sam")
    change.errors.show({"new_password_repeat": "The two passwords are not the same: type the new one again."})
    change.adjustSize()
    shooter.show(change, "58-dialog-change-password")
    change.close()
    change.deleteLater()
