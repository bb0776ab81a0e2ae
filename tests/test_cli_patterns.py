"""``mash-desk report`` says which open work shows a pattern, and the period report counts each one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mash_desk.cli import main
from mash_desk.domain.enums import Concern
from mash_desk.domain.periods import london_date
from mash_desk.services import intake
from tests.support import World, child, contact_draft


def _neglect_three_times(world: World) -> str:
    amira: int | None = None
    reference = ""
    for days in (200, 90, 1):
        kid = child() if amira is None else child(existing_person_id=amira)
        draft = contact_draft(world.clock, kid, concerns={Concern.NEGLECT})
        draft.received_at = world.clock() - timedelta(days=days)
        logged = intake.log_contact(world.sam, draft)
        amira, reference = logged.child_person_ids[0], logged.reference
    return reference


def test_report_names_the_open_work_with_a_pattern(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    third = _neglect_three_times(world)
    url = world.db.url.render_as_string(hide_password=False)
    assert main(["--db", url, "--user", world.logins["maria"], "report"]) == 0
    out = capsys.readouterr().out
    assert "Open work showing a pattern nobody should miss:" in out
    assert "    cumulative neglect: 1" in out
    assert "    a household that keeps moving: 3" in out  # the drafts' temporary accommodation
    assert f"cumulative neglect awaiting a manager's decision: {third}" in out
    assert main(["--db", url, "--user", world.logins["pc_jones"], "report"]) == 0
    assert "pattern" not in capsys.readouterr().out  # a partner agency sees none


def test_the_period_report_counts_each_pattern(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    _neglect_three_times(world)
    today = london_date(world.clock())
    url = world.db.url.render_as_string(hide_password=False)
    period = f"{today - timedelta(days=7)}:{today}"
    assert main(["--db", url, "--user", world.logins["maria"], "report", "--period", period]) == 0
    out = capsys.readouterr().out
    assert "Cumulative neglect awaiting a manager's decision" in out
    assert "Contacts: Pattern: cumulative neglect" in out
