"""``mash-desk chronology``: a person's chronology as a PDF from the command line, filtered, audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from mash_desk.cli import main
from mash_desk.domain.enums import ContactStatus
from mash_desk.store.database import Database
from tests.support import World, audit_lines, case_at


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_the_chronology_command_writes_the_pdf(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_at(world, ContactStatus.CLOSED)
    (amira,) = case.child_ids
    out = tmp_path / "out" / "amira.pdf"
    args = ["--db", _url(world.db), "--user", world.logins["sam"], "chronology", "--person", str(amira)]
    assert main([*args, "--out", str(out), "--kind", "outcome", "--kind", "agency"]) == 0
    assert str(out) in capsys.readouterr().out
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "OFFICIAL – SENSITIVE" in text
    assert "Police returned" in text
    assert "Rated AMBER" not in text
    assert "person.chronology" in [line.action for line in audit_lines(world.db)]
    # a period that ends before it starts is one clear line and a non-zero exit; nothing is written
    bad = tmp_path / "bad.pdf"
    assert main([*args, "--out", str(bad), "--from", "2026-03-10", "--to", "2026-03-01"]) != 0
    assert "starts after it ends" in capsys.readouterr().err
    assert not bad.exists()
