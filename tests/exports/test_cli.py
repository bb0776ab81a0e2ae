"""``mash-desk export`` and ``mash-desk report --period`` write what the services compute."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mash_desk.cli import EXIT_FAILED, EXIT_USAGE, main
from mash_desk.services import policy
from tests.exports.cli_support import as_user
from tests.exports.scenario import build_returns
from tests.support import World


def test_export_annex_a_and_cin(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_returns(world)
    annex = tmp_path / "out" / "annex-a.xlsx"
    assert main([*as_user(world, "maria"), "export", "annex-a", "--date", "2026-03-10", "--out", str(annex)]) == 0
    assert load_workbook(annex).sheetnames == ["List 1", "List 2", "List 3", "List 5"]
    assert "4 rows in List 1, 0 in List 2, 1 in List 3, 1 in List 5." in capsys.readouterr().out
    census = tmp_path / "cin-2026.xml"
    arguments = ["export", "cin", "--year", "2025-26", "--la", "821", "--out", str(census)]
    assert main([*as_user(world, "aud"), *arguments]) == 0
    said = capsys.readouterr().out
    assert "Wrote the CIN census 2025-26 (LA 821, 2025-04-01 to 2026-03-31)" in said
    assert "1 children, 2 referrals in 1 CIN episodes." in said  # March's referral joined July's open episode
    assert "<Sex>F</Sex>" in census.read_text(encoding="utf-8")
    # with the hub's own code set once by the administrator, --la may be left out
    policy.set_la_code(world.admin, "822")
    assert main([*as_user(world, "aud"), "export", "cin", "--year", "2025-26", "--out", str(census)]) == 0
    assert "(LA 822," in capsys.readouterr().out


def test_export_annex_a_with_only_out_is_todays_extract(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue asked for ``export annex-a --out FILE``: the six months up to today (London)."""
    build_returns(world)
    monkeypatch.setattr("mash_desk.services.context.utc_now", lambda: datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    annex = tmp_path / "annex-a.xlsx"
    assert main([*as_user(world, "maria"), "export", "annex-a", "--out", str(annex)]) == 0
    said = capsys.readouterr().out
    assert "Wrote Annex A (2025-09-11 to 2026-03-10)" in said
    assert "4 rows in List 1, 0 in List 2, 1 in List 3, 1 in List 5." in said
    assert load_workbook(annex).sheetnames == ["List 1", "List 2", "List 3", "List 5"]


def test_report_for_a_period(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_returns(world)
    assert main([*as_user(world, "maria"), "report", "--period", "2026-03-01:2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "front-door measures" in out
    assert "Contacts received" in out
    target = tmp_path / "measures.csv"
    assert (
        main([*as_user(world, "maria"), "report", "--from", "2026-03-10", "--to", "2026-03-10", "--csv", str(target)])
        == 0
    )
    assert target.read_text(encoding="utf-8").startswith("period_start,period_end,section,measure")


@pytest.mark.parametrize(
    ("arguments", "code", "words"),
    [
        # refused by argparse, before the database is opened
        (["report", "--period", "2026-03-10"], EXIT_USAGE, "argument --period: '2026-03-10' is not a period"),
        (["report", "--period", "2026-03-10:2026-03-01"], EXIT_USAGE, "after it ends"),
        (["report", "--from", "10/03/2026", "--to", "2026-03-10"], EXIT_USAGE, "argument --from: '10/03/2026' is not"),
        (["export", "annex-a", "--date", "10/03/2026", "--out", "x.xlsx"], EXIT_USAGE, "argument --date"),
        (["export", "annex-a", "--date", "2026-03-10"], EXIT_USAGE, "the following arguments are required: --out"),
        (["export", "cin", "--year", "twenty", "--la", "821", "--out", "x.xml"], EXIT_USAGE, "argument --year"),
        # no --la and none set for the hub: said, with who can set it once
        (["export", "cin", "--year", "2026", "--out", "x.xml"], EXIT_USAGE, "an administrator can set it once"),
        # how values go together, and what the services refuse
        (["report", "--from", "2026-03-10"], EXIT_USAGE, "--to END"),
        (["report", "--from", "2026-03-10", "--to", "2026-03-01"], EXIT_USAGE, "after it ends"),
        (["report", "--period", "2026-03-01:2026-03-10", "--to", "2026-03-10"], EXIT_USAGE, "not both"),
        (["export", "cin", "--year", "2026", "--la", "82", "--out", "x.xml"], EXIT_USAGE, "three digits"),
        (["export", "cin", "--year", "2025", "--la", "821", "--out", "x.xml"], EXIT_FAILED, "No referrals"),
        (["export", "cin", "--year", "2022-23", "--la", "821", "--out", "x.xml"], EXIT_USAGE, "for 2023-24 to 2026-27"),
        (["export", "cin", "--year", "2025-27", "--la", "821", "--out", "x.xml"], EXIT_USAGE, "as in 2025-26"),
        (["export", "ssd", "--since", "10/03/2026", "--out", "x.ssd"], EXIT_USAGE, "argument --since"),
        (["export", "ssd"], EXIT_USAGE, "the following arguments are required: --out"),
    ],
)
def test_bad_arguments_give_one_clear_line(
    world: World,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: int,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*as_user(world, "maria"), *arguments]) == code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("mash-desk: ")
    assert words in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("x.")] == []  # nothing written
