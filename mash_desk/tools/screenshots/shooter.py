"""The screenshot camera: a signed-in window or a dialog, settled and saved as a PNG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from mash_desk.gui.main_window import MainWindow
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.paths import settings_file
from mash_desk.profiles import EMBEDDED, ConnectionProfile
from mash_desk.services.context import utc_now
from mash_desk.services.signin import SignedIn, sign_in
from mash_desk.store.database import Database

SHOT_SIZE = (1440, 900)
SCALED_SHOT_SIZE = (1280, 720)  # a 2560x1440 screen at 200%: the tight case for large text


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
        # the file the sign-in dialog's embedded profile names: the demo itself, or (when the demo is on
        # PostgreSQL, as in the test that reads every screen) a file of its own in the output folder
        self.embedded_path = out / "sign-in.sqlite3" if db.is_postgresql else Path(str(db.url.database))
        # called with each shot's name just before it is saved, while its windows are still showing
        # (the test that no screen shows an internal code reads every visible text here)
        self.inspect: Callable[[str], None] | None = None

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
        if self.inspect is not None:
            self.inspect(f"{name}{self.variant}")
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

    def close(self) -> None:
        self.runner.shutdown()


def composite(window: QWidget, dialog: QWidget) -> QPixmap:
    """What a person sees: the window with a prompt over the middle of it."""
    picture = window.grab()
    prompt = dialog.grab()
    ratio = prompt.devicePixelRatio() or 1.0
    where = QPoint(
        int((window.width() - prompt.width() / ratio) / 2), int((window.height() - prompt.height() / ratio) / 3)
    )
    painter = QPainter(picture)
    painter.drawPixmap(where, prompt)
    # offscreen windows have no frame: draw the edge a window manager would
    painter.setPen(QPen(dialog.palette().color(QPalette.ColorRole.Mid), 2))
    painter.drawRect(QRect(where, prompt.size() / ratio).adjusted(-1, -1, 1, 1))
    painter.end()
    return picture
