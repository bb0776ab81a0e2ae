"""Help ▸ About: the program's version, the database's schema version and the log file, for the service desk."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from mash_desk import __version__
from mash_desk.domain.errors import MashDeskError
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.widgets import ctrl_enter_finishes
from mash_desk.gui.words import enum_words
from mash_desk.logs import current_log_file
from mash_desk.paths import resource
from mash_desk.services.signin import SignedIn
from mash_desk.services.workstation import SchemaVersions, schema_versions


class AboutDialog(QDialog):
    def __init__(self, runner: TaskRunner, session: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctrl_enter_finishes(self)
        form = load_form("about_dialog.ui", self)
        logo = need(form, QLabel, "logo_label")
        logo.setPixmap(QPixmap(str(resource("icons", "mash-desk.png"))).scaledToWidth(96))
        need(form, QLabel, "version_value").setText(__version__)
        self.schema_value = need(form, QLabel, "schema_value")
        self._show_schema(session.schema)
        need(form, QLabel, "database_value").setText(session.described)
        actor = session.actor
        need(form, QLabel, "signed_in_value").setText(
            f"{actor.display_name} ({actor.username}) — {enum_words(actor.role).lower()}"
        )
        need(form, QLabel, "toolkit_value").setText(
            f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}"
        )
        self.log_file = current_log_file()
        need(form, QLabel, "log_value").setText(
            str(self.log_file) if self.log_file is not None else self.tr("none (it could not be written)")
        )
        buttons = need(form, QDialogButtonBox, "button_box")
        buttons.rejected.connect(self.reject)
        self.open_log_button = buttons.addButton(
            self.tr("Open the &log folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_log_button.setEnabled(self.log_file is not None)
        self.open_log_button.clicked.connect(self.open_log_folder)
        # Enter and Ctrl+Enter close the box wherever focus starts; opening the file manager is asked
        # for by name (Alt+L), never by the key that finishes every other dialog
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        runner.run(lambda: schema_versions(session.db), self._show_schema, self._schema_failed, owner=self)

    def open_log_folder(self) -> None:
        """The folder holding the log (and its older files) in the desktop's file manager."""
        if self.log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))

    def _show_schema(self, versions: SchemaVersions) -> None:
        if versions.up_to_date:
            text = self.tr("{current} (up to date)").format(current=versions.current)
        else:
            text = self.tr("{current} — this program expects {head}").format(
                current=versions.current or self.tr("not set up"), head=versions.head
            )
        self.schema_value.setText(text)

    def _schema_failed(self, exc: MashDeskError) -> None:
        self.schema_value.setText(self.tr("could not be read: {error}").format(error=exc))

    @classmethod
    def ask(cls, runner: TaskRunner, session: SignedIn, parent: QWidget | None = None) -> None:
        cls(runner, session, parent).exec()
