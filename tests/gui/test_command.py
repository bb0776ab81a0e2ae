"""The ``mash-desk`` entry points that open windows: ``--quit-after`` for the installer's smoke test,
and ``screenshots`` for anyone who wants to see every screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from mash_desk.cli import build_parser, main


def test_quit_after_closes_the_window_and_exits_zero(qapp: QApplication) -> None:
    assert main(["--quit-after", "200"]) == 0
    assert main(["gui", "--quit-after", "200"]) == 0
    assert qapp.quitOnLastWindowClosed()  # run_gui puts the application back as it found it


def test_the_gui_options_reach_the_window() -> None:
    top = build_parser().parse_args(["--quit-after", "500", "--user", "sam"])
    assert top.quit_after == 500
    sub = build_parser().parse_args(["--quit-after", "500", "gui"])
    assert sub.quit_after == 500  # the subcommand does not reset what the top level was given
    assert build_parser().parse_args(["gui", "--quit-after", "7"]).quit_after == 7


def test_a_negative_quit_after_is_refused(capsys: object) -> None:
    assert main(["--quit-after", "-1"]) == 2


def test_screenshots_render_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MASH_DESK_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "mash_desk.cli", "screenshots", "--out", str(out), "--theme", "light"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.glob("*.png"))
    for expected in (
        "01-sign-in.png",
        "03-work-queues-my-work.png",
        "08-intake-validation.png",
        "10-contact-view.png",
        "21-dialog-consent-override.png",
        "27-dialog-conflict-side-by-side.png",
        "14-break-the-glass.png",
        "15-break-the-glass-reason-refused.png",
        "16-contact-restricted.png",
        "47-manager-restricted-records.png",
        "60-dialog-dash-checklist.png",
        "61-dialog-gcp2-compared.png",
        "62-marac-referral.png",
        "63-marac-referral-page-1.png",
        "64-manager-gcp2-reviews.png",
        "18-person-record.png",
        "19-person-chronology-pdf.png",
        "60-pattern-cumulative-neglect.png",
        "61-pattern-repeated-domestic-abuse.png",
        "62-pattern-moving-household.png",
        "63-pattern-family-interpreter.png",
        "67-queue-patterns-column.png",
        "48-manager-duplicate-records.png",
        "49-merge-dialog.png",
    ):
        assert expected in written
    image = QImage(str(out / "10-contact-view.png"))
    assert image.width() >= 1400
    assert image.height() >= 880
    assert not (tmp_path / "data" / "drafts").exists() or not any((tmp_path / "data" / "drafts").iterdir())
