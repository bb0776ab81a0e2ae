"""``mash-desk screenshots --out DIR``: every screen and dialog, rendered offscreen from demo data.

So anyone can check what a person sees without a display: the sign-in dialog, each role's work
queues, the intake form with its validation messages, the contact view, the break-the-glass prompt
for a restricted contact, a child's record and the printed chronology, each action dialog, the
manager's and the administrator's pages and the idle lock, in the light and the dark theme
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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mash_desk.gui.app import application
from mash_desk.paths import DATA_DIR_ENV
from mash_desk.services.admin import prepare_database
from mash_desk.services.context import utc_now
from mash_desk.store.database import Database
from mash_desk.tools.screenshots.admin import shoot_admin, shoot_lock
from mash_desk.tools.screenshots.audits import shoot_audits
from mash_desk.tools.screenshots.cast import Cast, build_cast, try_generate_demo
from mash_desk.tools.screenshots.dialogs import shoot_dialogs
from mash_desk.tools.screenshots.exercises import shoot_exercises
from mash_desk.tools.screenshots.manager import shoot_manager
from mash_desk.tools.screenshots.partnership_pack import shoot_supervision_and_pack
from mash_desk.tools.screenshots.patterns import shoot_patterns
from mash_desk.tools.screenshots.person import shoot_person
from mash_desk.tools.screenshots.risk import shoot_risk_tools
from mash_desk.tools.screenshots.screens import (
    shoot_contact,
    shoot_intake,
    shoot_queues,
    shoot_restricted,
    shoot_sign_in,
)
from mash_desk.tools.screenshots.shooter import SCALED_SHOT_SIZE, SHOT_SIZE, Shooter

__all__ = ["render_screenshots"]


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
                shoot_everything(shooter, scheme, cast, full=scheme is schemes[0])
            shooter.close()
            return shooter.written
        finally:
            db.dispose()


def shoot_everything(shooter: Shooter, scheme: Qt.ColorScheme, cast: Cast, *, full: bool) -> None:
    """Every screen in one colour scheme; ``full`` adds the variants only worth showing once."""
    shooter.theme.force(scheme)
    shooter.variant = "" if scheme is Qt.ColorScheme.Light else "-dark"
    shoot_sign_in(shooter)
    shoot_queues(shooter, full=full)
    shoot_intake(shooter)
    shoot_contact(shooter, cast, full=full)
    shoot_restricted(shooter, cast)
    shoot_person(shooter, cast, full=full)
    shoot_patterns(shooter, full=full)
    shoot_manager(shooter, cast, full=full)
    shoot_admin(shooter, full=full)
    shoot_lock(shooter, full=full)
    shoot_dialogs(shooter, only=() if full else ("consent", "rag"))
    shoot_risk_tools(shooter, cast, full=full)
    shoot_exercises(shooter, full=full)
    shoot_audits(shooter, full=full)
    shoot_supervision_and_pack(shooter, full=full)
