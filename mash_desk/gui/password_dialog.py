"""Change my password (shared PostgreSQL hubs): the current one, the new one twice, as long as
services.admin asks. The change runs on a worker; what is wrong shows at the field, and nothing changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.gui.field_errors import FieldErrorDisplay, set_flag
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.admin import MIN_PASSWORD, change_own_password
from mash_desk.services.reauthentication import use_new_password


def password_problems(password: str, repeat: str, *, field: str, repeat_field: str) -> dict[str, str]:
    """What is wrong with a new password typed twice, before anything is sent."""
    if len(password) < MIN_PASSWORD:
        return {
            field: tr("Use at least {n} characters: a phrase of a few words is easiest to remember.").format(
                n=MIN_PASSWORD
            )
        }
    if password != repeat:
        return {repeat_field: tr("The two passwords are not the same: type the new one again.")}
    return {}


def password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ChangePasswordDialog(QDialog):
    def __init__(self, window: WindowContext, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        self._runner = window.runner
        self._ctx = window.ctx
        self.new_password = ""
        self.setWindowTitle(tr("Change my password"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Your database login is {login}. Use at least {n} characters: a phrase of a few words is easiest "
                "to remember and hardest to guess."
            ).format(login=login, n=MIN_PASSWORD),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        set_flag(self.banner, "banner", "error")
        layout.addWidget(self.banner)
        rows = QFormLayout()
        layout.addLayout(rows)
        self.errors = FieldErrorDisplay(self.banner, self)
        self.current_edit = self._row(rows, "current_password", tr("&Current password:"))
        self.new_edit = self._row(rows, "new_password", tr("&New password:"))
        self.repeat_edit = self._row(rows, "new_password_repeat", tr("New password &again:"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button = ok
        ok.setText(tr("C&hange password"))
        set_flag(ok, "primary", True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _row(self, rows: QFormLayout, key: str, caption: str) -> QLineEdit:
        edit = password_edit(self)
        edit.setAccessibleName(caption.replace("&", "").rstrip(":"))
        label = QLabel(caption, self)
        label.setBuddy(edit)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        rows.addRow(label, edit)
        self.errors.bind(key, edit)
        return edit

    def message_at(self, key: str) -> str | None:
        return self.errors.message_at(key)

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        current, new = self.current_edit.text(), self.new_edit.text()
        problems: dict[str, str] = {}
        if not current:
            problems["current_password"] = tr("Enter your current password.")
        problems |= password_problems(
            new, self.repeat_edit.text(), field="new_password", repeat_field="new_password_repeat"
        )
        if problems:
            self.errors.show(problems)
            return
        self.errors.clear()
        self.ok_button.setEnabled(False)
        ctx = self._ctx

        def change() -> None:
            change_own_password(ctx, current, new)
            use_new_password(ctx.db, new)

        self._runner.run(
            change, lambda _none: self._changed(new), self._refused, owner=self, label=tr("Changing your password")
        )

    def _changed(self, new: str) -> None:
        self.new_password = new
        self.accept()

    def _refused(self, exc: MashDeskError) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, InvalidInput):
            first = self.errors.show(exc.field_errors)
            if isinstance(first, QLineEdit):
                first.selectAll()
        else:
            self.errors.show({}, summary=str(exc))

    @classmethod
    def ask(cls, window: WindowContext, login: str, parent: QWidget | None = None) -> str | None:
        """The new password once it has been changed; None if the person cancelled."""
        dialog = cls(window, login, parent)
        dialog.exec()
        return dialog.new_password or None
