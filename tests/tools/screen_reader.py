"""Render every screen of ``mash-desk screenshots`` in a fresh interpreter and write what each showed.

``python -m tests.tools.screen_reader DATABASE_URL FOLDER OUT.json`` signs in to the demo at
DATABASE_URL as the screenshots do, renders every shot in both themes and writes every text a person
could read (``test_no_codes_on_screen.screen_texts``) to OUT.json. The no-codes test runs it in its own
process: rendering a hundred windows inside the suite's process, after a thousand other tests have
made and destroyed theirs, crashed Qt there (a segmentation fault in the event loop).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt

from mash_desk.gui.app import application
from mash_desk.services.context import utc_now
from mash_desk.store.database import Database
from mash_desk.tools.screenshots import shoot_everything
from mash_desk.tools.screenshots.cast import build_cast
from mash_desk.tools.screenshots.shooter import Shooter
from tests.tools.test_no_codes_on_screen import Seen, screen_texts


def read_every_screen(url: str, folder: Path) -> list[Seen]:
    app = application()
    db = Database(url)
    seen: list[Seen] = []
    shooter = Shooter(app, db, folder, "")
    shooter.inspect = lambda shot: seen.extend(screen_texts(shot))
    try:
        cast = build_cast(db, utc_now())
        for scheme in (Qt.ColorScheme.Light, Qt.ColorScheme.Dark):
            shoot_everything(shooter, scheme, cast, full=scheme is Qt.ColorScheme.Light)
    finally:
        shooter.close()
        db.dispose()
    return seen


def main(argv: list[str]) -> int:
    url, folder, out = argv
    seen = read_every_screen(url, Path(folder))
    Path(out).write_text(json.dumps([asdict(item) for item in seen]), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
