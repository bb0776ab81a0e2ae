"""The idle lock: after some minutes with no key pressed and no mouse moved, every window of the app is
covered (no case data, no names) and the person proves who they are again (OWASP ASVS 3.3).

Nothing underneath is touched: every tab, every half-typed form and every open dialog stays exactly as
it was, and comes back on unlock. On PostgreSQL the password is checked by opening a fresh connection
as the signed-in login (``services.reauthentication.verify_password``, on a worker); the embedded database
has no passwords, so there the person confirms who they are with a button. Either way "Sign in as
someone else" ends this session (the intake draft is kept, as when the window closes).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput, MashDeskError, WrongPassword
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.context import Actor
from mash_desk.services.reauthentication import verify_password

MINUTE_MS = 60_000
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
LOCKED_TITLE = "MASH Desk — locked"


class Cover(QWidget):
    """An opaque sheet over the whole of one window, following its size, above everything in it."""

    def __init__(self, window: QWidget, text: str) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        self.label = QLabel(text, self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        set_flag(self.label, "subheading", True)
        layout.addWidget(self.label)
        self.window_title = window.windowTitle()
        window.setWindowTitle(tr(LOCKED_TITLE))
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind is QEvent.Type.Resize and isinstance(event, QResizeEvent):
            self.setGeometry(0, 0, event.size().width(), event.size().height())
        elif kind in (QEvent.Type.ChildAdded, QEvent.Type.ZOrderChange):
            QTimer.singleShot(0, self._stay_on_top)
        return False

    def _stay_on_top(self) -> None:
        parent = self.parentWidget()
        if parent is not None and self.isVisible():
            self.raise_()

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
            parent.setWindowTitle(self.window_title)
        self.hide()
        self.setParent(None)  # out of the window at once; the object itself goes when Qt is ready
        self.deleteLater()


def minutes_words(minutes: float) -> str:
    """How long it was idle: "1 minute", "15 minutes"; a part of a minute (a short lock set for a
    test or a demonstration) as it is, "0.5 minutes"."""
    if float(minutes).is_integer():
        return counted(int(minutes), tr("minute"), tr("minutes"))
    return tr("{minutes:g} minutes").format(minutes=minutes)


class LockDialog(QDialog):
    """Who is this? The signed-in person's password (or, with no passwords, a button), or someone else."""

    unlock_requested = Signal(str)
    """Emitted with the password typed ("" on the embedded database) when the person asks to unlock."""
    switch_requested = Signal()
    """Emitted when the person chooses to sign in as someone else."""

    def __init__(self, actor: Actor, *, passwords: bool, minutes: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self.setObjectName("lock_dialog")
        self.setWindowTitle(tr(LOCKED_TITLE))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(460)
        self._passwords = passwords
        layout = QVBoxLayout(self)
        title = QLabel(tr("MASH Desk is locked"), self)
        set_flag(title, "subheading", True)
        layout.addWidget(title)
        why = (
            tr("It locked after {minutes} without use.").format(minutes=minutes_words(minutes))
            if minutes
            else tr("It was locked on request.")
        )
        self.intro = QLabel(
            why + " " + tr("Everything you were doing is kept just as it was, hidden until you unlock."), self
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        self.errors = FieldErrorDisplay(self.banner, self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(tr("Password for {login}").format(login=actor.username))
        buttons = QHBoxLayout()
        if passwords:
            rows = QFormLayout()
            caption = QLabel(tr("&Password for {login}:").format(login=actor.username), self)
            caption.setBuddy(self.password_edit)
            rows.addRow(caption, self.password_edit)
            layout.addLayout(rows)
            self.errors.bind("password", self.password_edit)
            self.unlock_button = QPushButton(tr("&Unlock"), self)
            self.password_edit.returnPressed.connect(self.submit)
        else:
            self.password_edit.hide()
            self.unlock_button = QPushButton(tr("I am {name} — &unlock").format(name=actor.display_name), self)
        set_flag(self.unlock_button, "primary", True)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.switch_button = QPushButton(tr("Sign in as &someone else"), self)
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(lambda: emit(self.switch_requested))
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        self.setFocusProxy(self.password_edit if passwords else self.unlock_button)

    def submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        if self._passwords and not self.password_edit.text():
            self.show_errors({"password": tr("Enter your password to unlock.")})
            return
        self.errors.clear()
        emit(self.unlock_requested, self.password_edit.text())

    def checking(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)

    def show_errors(self, errors: dict[str, str], summary: str = "") -> None:
        self.errors.show(errors, summary=summary)
        self.password_edit.selectAll()
        self.setFocus()

    def message_at(self, key: str) -> str | None:
        return self.errors.message_at(key)

    def banner_text(self) -> str:
        return self.errors.banner_text()

    # the lock is never dismissed by Escape or the window's close button: only by proving who you are
    def reject(self) -> None:
        return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class IdleLock(QObject):
    """Watches the whole application for keyboard and mouse use, and locks when there has been none."""

    locked_changed = Signal(bool)
    """Emitted with True when the lock covers the windows, and False when it has been lifted."""
    switch_requested = Signal()
    """Emitted when the person at the locked screen chooses to sign in as someone else."""

    def __init__(
        self,
        host: QWidget,
        window: WindowContext,
        *,
        passwords: bool,
        idle_ms: int,
    ) -> None:
        super().__init__(host)
        self._window = host
        self._runner = window.runner
        self._ctx = window.ctx
        self._actor = window.actor
        self._passwords = passwords
        self.idle_ms = idle_ms
        self.covers: list[Cover] = []
        self.dialog: LockDialog | None = None
        self._focus: QWidget | None = None
        self._generation = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one rounds minutes to whole seconds
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self._idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def stop(self) -> None:
        """The window is closing: stop watching (and lift any lock without a word)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._lift()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY:
            if not self.locked:
                self.timer.start()  # restarts the countdown
        elif kind is QEvent.Type.Show and self.locked and isinstance(watched, QWidget):
            self._cover_new_window(watched)
        return False

    # --- locking -----------------------------------------------------------------------------------

    def _idle(self) -> None:
        self.lock(self.idle_ms / MINUTE_MS)

    def lock(self, minutes: float = 0) -> None:
        """Cover every window and ask who this is; ``minutes`` idle, or 0 for "Lock now"."""
        if self.locked:
            return
        self.timer.stop()
        app = QApplication.instance()
        self._focus = QApplication.focusWidget()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open menu or list would sit above the cover
            popup.close()
            popup = QApplication.activePopupWidget()
        dialog = LockDialog(self._actor, passwords=self._passwords, minutes=minutes, parent=self._window)
        dialog.unlock_requested.connect(self._unlock_requested)
        dialog.switch_requested.connect(self._switch)
        self.dialog = dialog
        if isinstance(app, QApplication):
            for widget in app.topLevelWidgets():
                self._cover(widget)
        self._to_front(dialog)
        emit(self.locked_changed, True)

    def _cover(self, widget: QWidget) -> None:
        if widget is self.dialog or not widget.isVisible() or not widget.isWindow():
            return
        if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            widget.close()
            return
        if any(cover.parentWidget() is widget for cover in self.covers):
            return
        text = tr("MASH Desk is locked.") if widget is not self._window else ""
        self.covers.append(Cover(widget, text))

    def _cover_new_window(self, widget: QWidget) -> None:
        """A window opened while locked (an error from work still running) is covered too, and the
        lock stays the window that takes the keyboard."""
        if widget is self.dialog or not widget.isWindow():
            return
        self._cover(widget)
        QTimer.singleShot(0, self._bring_lock_forward)

    def _bring_lock_forward(self) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.hide()  # shown again, it is the newest modal window: the one that takes the keyboard
            self._to_front(dialog)

    @staticmethod
    def _to_front(dialog: LockDialog) -> None:
        dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # a window of its own there has no stacking
            dialog.raise_()
        dialog.activateWindow()
        dialog.setFocus()

    # --- unlocking ---------------------------------------------------------------------------------

    def _unlock_requested(self, password: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if not self._passwords:
            self.unlock()
            return
        self._generation += 1
        generation, ctx = self._generation, self._ctx
        dialog.checking(True)
        self._runner.run(
            lambda: verify_password(ctx, password),
            lambda _none: self._verified(generation),
            lambda exc: self._refused(generation, exc),
            owner=dialog,
            label=tr("Checking your password"),
        )

    def _verified(self, generation: int) -> None:
        if generation == self._generation and self.locked:
            self.unlock()

    def _refused(self, generation: int, exc: MashDeskError) -> None:
        dialog = self.dialog
        if generation != self._generation or dialog is None:
            return
        dialog.checking(False)
        if isinstance(exc, WrongPassword):
            dialog.show_errors({"password": str(exc)})
        elif isinstance(exc, InvalidInput):
            dialog.show_errors(exc.field_errors)
        else:
            dialog.show_errors({}, str(exc))

    def unlock(self) -> None:
        """Lift the lock: every window as it was, the keyboard where it was, the countdown restarted."""
        if not self.locked:
            return
        self._lift()
        focus, self._focus = self._focus, None
        if focus is not None:
            focus.activateWindow()
            focus.setFocus()
        self.timer.start()
        emit(self.locked_changed, False)

    def _lift(self) -> None:
        for cover in self.covers:
            cover.remove()
        self.covers = []
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()

    def _switch(self) -> None:
        """Sign in as someone else: close what is open over the window (nothing is saved by closing a
        dialog), lift the lock, and let the window end the session."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            for widget in app.topLevelWidgets():
                if isinstance(widget, QDialog) and widget is not self.dialog and widget.isVisible():
                    widget.reject()
        self._lift()
        self._focus = None
        emit(self.locked_changed, False)
        QTimer.singleShot(0, lambda: emit(self.switch_requested))
