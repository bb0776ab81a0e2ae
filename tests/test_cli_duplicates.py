"""``mash-desk duplicates``: the likely pairs a manager should compare, one a line; refused to others."""

from __future__ import annotations

import pytest

from mash_desk.cli import main
from mash_desk.services import intake
from tests.support import World, child, contact_draft


def test_duplicates_lists_each_likely_pair_for_a_manager(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    url = world.db.url.render_as_string(hide_password=False)
    assert main(["--db", url, "--user", world.logins["maria"], "duplicates"]) == 0
    assert capsys.readouterr().out.strip() == "No likely duplicates."
    first = intake.log_contact(world.sam, contact_draft(world.clock, child("Amira", "Hussain")))
    second = intake.log_contact(world.sam, contact_draft(world.clock, child("Ameera", "Hussain")))
    assert main(["--db", url, "--user", world.logins["maria"], "duplicates"]) == 0
    out = capsys.readouterr().out.splitlines()
    a, b = first.child_person_ids[0], second.child_person_ids[0]
    assert out[0] == (
        f"Amira Hussain ({a})  |  Ameera Hussain ({b})  |  born 04/05/2019  |  same date of birth, name spelt alike"
    )
    assert out[1].startswith("1 pair.")
    assert main(["--db", url, "--user", world.logins["sam"], "duplicates"]) != 0
    assert "Only a team manager" in capsys.readouterr().err
