"""``mash-desk letters`` issues the letters due (stored on the case) and saves the same PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mash_desk.cli import EXIT_USAGE, main
from mash_desk.domain.enums import LetterMethod
from mash_desk.services import letters
from tests.exports.cli_support import as_user
from tests.letters.journeys import decide
from tests.support import World


def test_letters_for_one_contact_and_for_a_day(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = decide(world), decide(world)
    out = tmp_path / "letters"
    # without --confirm-family the family letter is shown with its addressee, and not issued
    assert main([*as_user(world, "bea"), "letters", "--contact", first.reference, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"{first.reference}  family    to Layla Hussain, 12 Park Street, Luton, LU1 3AB" in said
    assert "1 family letter not issued" in said
    assert "Issued 1 of 1 letters by post." in said
    assert sorted(p.name for p in out.iterdir()) == [f"{first.reference}-referrer.pdf"]
    confirmed = [*as_user(world, "bea"), "letters", "--contact", first.reference, "--confirm-family"]
    assert main([*confirmed, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{first.reference}-family.pdf", f"{first.reference}-referrer.pdf"]
    records = letters.letters_for_contact(world.bea, first.id)
    assert [(r.recipient.value, r.method, r.recipient_name) for r in records] == [
        ("referrer", LetterMethod.POST, "Jo Bell"),
        ("family", LetterMethod.POST, "Layla Hussain"),
    ]
    stored = letters.stored_letter_pdf(world.bea, records[0].letter_id)
    assert (out / f"{first.reference}-referrer.pdf").read_bytes() == stored
    assert "Issued 1 of 1 letters by post." in capsys.readouterr().out
    # the day's batch: only the second contact's letters are still due
    day = [*as_user(world, "bea"), "letters", "--date", "2026-03-10", "--confirm-family", "--out", str(out)]
    assert main(day) == 0
    assert len(list(out.iterdir())) == 4
    assert main(day) == 0
    assert "No letters are due" in capsys.readouterr().out
    assert len(letters.letters_for_contact(world.bea, second.id)) == 2


def test_letters_refuses_unclear_requests(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*as_user(world, "bea"), "letters", "--out", str(tmp_path)]) == EXIT_USAGE
    assert (
        main([*as_user(world, "bea"), "letters", "--contact", "MASH-0000001", "--date", "2026-03-10", "--out", "x"])
        == EXIT_USAGE
    )
    assert main([*as_user(world, "bea"), "letters", "--contact", "MASH-9999999", "--out", str(tmp_path)]) != 0
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3
    assert all(line.startswith("mash-desk: ") for line in errors)


def test_letter_holds_shows_the_policy_and_an_administrator_changes_it(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from mash_desk.domain.family_letters import HoldTrigger
    from mash_desk.services.policy import read_family_letter_holds

    assert main([*as_user(world, "bea"), "letter-holds"]) == 0
    shown = capsys.readouterr().out
    assert "outcome:MARAC" in shown
    assert [line.split()[-1] for line in shown.splitlines() if line.startswith("outcome:MARAC")] == ["HOLD"]
    assert [line.split()[-1] for line in shown.splitlines() if line.startswith("outcome:NFA")] == ["-"]
    assert main([*as_user(world, "bea"), "letter-holds", "--set", "outcome:NFA", "--holds", "yes"]) != 0
    assert main([*as_user(world, "admin"), "letter-holds", "--set", "outcome:NFA", "--holds", "maybe"]) == EXIT_USAGE
    assert main([*as_user(world, "admin"), "letter-holds", "--set", "outcome:NOPE", "--holds", "yes"]) == EXIT_USAGE
    assert main([*as_user(world, "admin"), "letter-holds", "--set", "outcome:NFA", "--holds", "yes"]) == 0
    assert "outcome:NFA now holds the family letter." in capsys.readouterr().out
    rows = {(r.trigger, r.code): r.holds for r in read_family_letter_holds(world.bea)}
    assert rows[(HoldTrigger.OUTCOME, "NFA")]
