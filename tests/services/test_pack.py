"""The quarterly pack: every number in it is the dashboard's and ``report --period``'s for the same
quarter, small numbers are suppressed in the PDF (not in the CSV), and only those who may see the
front-door measures may make it."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from mash_desk.cli import main
from mash_desk.domain.enums import Concern, ContactStatus, Outcome
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.supervision import CaseDiscussed
from mash_desk.letters.pack import PackRow, PackSection, PackTable
from mash_desk.services import intake, risk_tools
from mash_desk.services import pack as pack_service
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard import front_door_measures, measures_to_csv
from mash_desk.services.pack import build_pack
from mash_desk.services.pack.partners import AUDITS_TITLE, EXERCISES_TITLE
from mash_desk.services.supervision import record_supervision, supervision_choices
from tests.letters.journeys import decide
from tests.support import World, case_at, child, contact_draft

QUARTER = "2026Q1"
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)


def _quarter(world: World) -> None:
    """Seven contacts in March 2026: five decided (one NFA), one screened, one received; a DASH;
    a supervision discussing one case."""
    for outcome in (Outcome.CFA_S17, Outcome.CFA_S17, Outcome.EARLY_HELP, Outcome.NFA):
        decide(world, contact_draft(world.clock, concerns={Concern.NEGLECT}), (outcome,))
    decide(
        world,
        contact_draft(world.clock, child("Omar", "Haddad", interpreter_needed=True), concerns={Concern.DOMESTIC_ABUSE}),
        (Outcome.STRATEGY_S47,),
    )
    screened = case_at(world, ContactStatus.SCREENED)
    intake.log_contact(world.sam, contact_draft(world.clock))
    risk_tools.record_dash(world.sam, screened.id, [True] * 15 + [False] * 9)
    people = {p.name: p.user_id for p in (*supervision_choices(world.maria).practitioners,)}
    record_supervision(
        world.maria,
        people["Sam Carter"],
        supervision_choices(world.maria).me,
        london_date(world.clock()) - timedelta(days=1),
        [CaseDiscussed(f"MASH-{screened.id:07d}", "Reflected on the neglect history before rating.", "GCP2 next.")],
    )


def _report_rows(text: str) -> dict[str, tuple[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    by_measure: dict[str, tuple[str, str]] = {}
    for row in rows:
        assert row["measure"] not in by_measure, f"two report rows are called {row['measure']!r}"
        by_measure[row["measure"]] = (row["count"], row["out_of"])
    return by_measure


def _shown(count: str) -> str:
    """What the PDF must show for an exact count from the CSV."""
    if not count:
        return ""
    number = int(count)
    return "<5" if 0 < number < 5 else f"{number:,}"


def _pack_table_rows(text: str) -> list[dict[str, str]]:
    """The front door's rows: the partnership's sections are ``audit_summary``'s and ``exercise_summary``'s
    (tests/services/test_pack_partners.py), not the report's."""
    partners = {AUDITS_TITLE, EXERCISES_TITLE}
    return [row for row in csv.DictReader(io.StringIO(text)) if row["section"] not in partners]


def test_every_figure_in_the_pack_is_the_dashboards_and_small_numbers_are_suppressed(world: World) -> None:
    _quarter(world)
    pack = build_pack(world.maria, QUARTER)
    assert (pack.quarter, pack.period.first, pack.period.last) == (QUARTER, FIRST, LAST)
    dashboard = front_door_measures(world.maria, FIRST, LAST)
    report = _report_rows(measures_to_csv(dashboard))
    table_rows = _pack_table_rows(pack.csv_files["tables.csv"])
    assert len(table_rows) > 60
    for row in table_rows:
        assert report[row["measure"]] == (row["count"], row["out_of"]), row["measure"]
        assert row["pdf_count"] == _shown(row["count"]), row
    # the headline numbers, read back from the PDF itself
    # table cells come out a line each: read the PDF as one line of words
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages).split())
    assert dashboard.contacts_received == 7
    assert "Contacts received 7" in text
    assert dashboard.referrals == 3
    assert "Referrals (children, one per child per day) <5" in text  # 3: suppressed
    assert "Children decided no further action (NFA) <5 5 *" in text  # 1 of 5: count and share hidden
    assert "Children: Emergency protection 0 5 0.0%" in text  # zero is shown
    for suppressed in ("Referrals (children, one per child per day) 3", "MARAC referrals made 1"):
        assert suppressed not in text
    assert "Appendix: definitions and notes" in text
    assert "Quarterly pack for the Safeguarding Children Partnership: 2026Q1" in text
    # charts are drawn from the same rows: Figure 1's bars are the report's contacts by source
    bars = [row for row in csv.DictReader(io.StringIO(pack.csv_files["charts.csv"])) if row["figure"] == "Figure 1"]
    for bar in bars:
        contacts, referred = report[f"Contact to referral: {bar['category']}"][::-1]
        assert bar["count"] == (contacts if bar["series"] == "Contacts" else referred)


def test_the_command_line_pack_equals_the_command_line_report(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _quarter(world)
    url = world.db.url.render_as_string(hide_password=False)
    who = ["--db", url, "--user", world.logins["maria"]]
    assert main([*who, "report", "--period", f"{FIRST}:{LAST}", "--csv", str(tmp_path / "report.csv")]) == 0
    out = tmp_path / "pack.pdf"
    assert main([*who, "pack", "--quarter", "2026q1", "--out", str(out), "--csv", str(tmp_path / "csv")]) == 0
    assert "Wrote the quarterly pack for 2026Q1" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    report = _report_rows((tmp_path / "report.csv").read_text(encoding="utf-8"))
    rows = _pack_table_rows((tmp_path / "csv" / "pack-2026Q1-tables.csv").read_text(encoding="utf-8"))
    # "now" figures move with the real clock between the two commands only if work changes: none does here
    assert rows
    assert all(report[row["measure"]] == (row["count"], row["out_of"]) for row in rows)
    definitions = (tmp_path / "csv" / "pack-2026Q1-definitions.csv").read_text(encoding="utf-8")
    assert "Figure 1" in definitions
    assert "Table 1" in definitions


def test_a_partner_section_joins_the_pack_through_the_hook(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the integrator does for the audits and exercises: list a source, and its section is in."""

    def audits(_ctx: ServiceContext, first: date, last: date, prefix: str) -> PackSection:
        assert (first, last) == (FIRST, LAST)
        rows = (PackRow("Cases graded good", 7, 9), PackRow("Actions overdue", 2))
        table = PackTable(f"Table {prefix}1", "Grades", rows, "Def.")
        return PackSection("Case audits", "Audits closed in the quarter.", (table,))

    sources = (("Case audits", audits), ("Threshold exercises", None))
    monkeypatch.setattr(pack_service, "PARTNER_SECTIONS", sources)
    pack = build_pack(world.maria, QUARTER)
    assert pack.document.sections[-1].title == "Case audits"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.pdf)).pages).split())
    assert "Table A1. Grades" in text
    assert "Cases graded good 7 9 77.8%" in text
    assert "Actions overdue <5" in text
    assert "Not in this pack: Threshold exercises." in text
    assert "Table A1" in pack.csv_files["tables.csv"]


@pytest.mark.parametrize("who", ["sam", "bea", "police"])
def test_only_those_who_see_the_measures_make_the_pack(world: World, who: str) -> None:
    with pytest.raises(PermissionRefused):
        build_pack(getattr(world, who), QUARTER)


@pytest.mark.parametrize("quarter", ["2026Q5", "Q3 2026", "26Q1", "2026", "1999Q1"])
def test_a_quarter_that_is_not_one_is_refused(world: World, quarter: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build_pack(world.maria, quarter)
    assert "quarter" in refused.value.field_errors
