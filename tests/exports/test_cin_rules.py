"""The CIN census export judged by the DfE's own validation rules, as councils run them
(``csc-validator-be-cin``): 0 errors for 2025-26 and 2026-27, on a demo and on hand-made edge cases,
and every query raised explained (``tests.exports.cin_rules.QUERIES``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mash_desk.exports.cin_census import census_xml
from mash_desk.services.context import ServiceContext
from mash_desk.services.statutory import cin_census
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from tests.exports.census_cases import CensusCases, build_census_cases, upn_for
from tests.exports.cin_rules import ChildItems, Return, read_return, run_rules, unexplained
from tests.support import World

pytestmark = pytest.mark.cin_validator

DEMO_NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def child_of(census: Return, person_id: int) -> ChildItems:
    return census.children[f"MD{person_id:07d}"]


def episodes(items: ChildItems) -> list[tuple[str, str | None, str | None, str]]:
    return [
        (e["CINreferralDate"], e.get("CINclosureDate"), e.get("ReasonForClosure"), e["ReferralNFA"])
        for e in items.episodes
    ]


@pytest.fixture
def cases(world: World) -> CensusCases:
    return build_census_cases(world)


def test_edge_cases_2025_26(world: World, cases: CensusCases, tmp_path: Path) -> None:
    census = cin_census(world.auditor, 2026, "821")
    assert (len(census.children), census.referrals, census.episodes, census.upns_left_out) == (7, 9, 8, 1)
    document = census_xml(census)
    verdict = run_rules(document, 2026, tmp_path)
    assert (verdict.ruleset, verdict.crashed) == ("2025-26", ())
    assert verdict.errors == []
    assert unexplained(verdict, document) == []
    assert {(q.code, q.child) for q in verdict.queries} == {
        ("8770Q", f"MD{cases.yusuf:07d}"),  # of school age, no UPN, no reason
        ("8770Q", f"MD{cases.leah:07d}"),  # her stored UPN failed the LA-code check and was left out
        ("8825Q", f"MD{cases.zara:07d}"),  # closed NFA at the front door: RC8, no assessment
        ("8825Q", f"MD{cases.sam:07d}"),
        ("2887Q", None),  # a return of 7 children, none with a kind of disability recorded
    }
    items = read_return(document)
    amira = child_of(items, cases.amira)
    assert episodes(amira) == [("2025-07-01", None, None, "false")]  # March's referral joined the open episode
    assert (amira.upn, amira.upn_unknown, amira.sex) == (upn_for("821400119001"), None, "F")
    zara = child_of(items, cases.zara)
    assert episodes(zara) == [("2025-08-05", "2025-08-07", "RC8", "true"), ("2025-12-01", None, None, "false")]
    assert zara.upn_unknown == "UN2"
    sam = child_of(items, cases.sam)
    assert episodes(sam) == [("2025-08-05", "2025-08-07", "RC8", "true")]
    assert (sam.upn_unknown, sam.sex) == ("UN7", "M")
    unborn = child_of(items, cases.unborn)
    assert (unborn.birth_date, unborn.expected_birth_date, unborn.sex, unborn.upn_unknown) == (
        None,
        date(2026, 5, 20),
        "U",
        "UN1",
    )
    noah = child_of(items, cases.noah)  # born 20 April 2026: unborn on 31 March
    assert (noah.birth_date, noah.expected_birth_date, noah.sex) == (None, date(2026, 4, 20), "U")
    leah = child_of(items, cases.leah)
    assert (leah.upn, leah.upn_unknown) == (None, None)


def test_edge_cases_2026_27(world: World, cases: CensusCases, tmp_path: Path) -> None:
    census = cin_census(world.auditor, 2027, "821")
    assert (len(census.children), census.referrals, census.episodes) == (3, 3, 3)
    document = census_xml(census)
    verdict = run_rules(document, 2027, tmp_path)
    assert (verdict.ruleset, verdict.crashed) == ("2026-27", ())
    assert verdict.errors == []
    assert unexplained(verdict, document) == []
    assert {(q.code, q.child) for q in verdict.queries} == {
        ("8530Q", f"MD{cases.due_soon:07d}"),  # due in February 2027, written in November 2026
        ("2887Q", None),
    }
    items = read_return(document)
    assert episodes(child_of(items, cases.amira)) == [("2026-06-15", None, None, "false")]
    omar = child_of(items, cases.omar)
    assert episodes(omar) == [("2026-09-14", None, None, "false")]  # two referrals that day count once
    assert omar.upn == upn_for("822500118002")
    assert child_of(items, cases.due_soon).expected_birth_date == date(2027, 2, 1)


@pytest.mark.parametrize("year", [2026, 2027])
def test_a_demo_passes_the_rules(db: Database, tmp_path: Path, year: int) -> None:
    generate_demo(db, contacts=1000, seed=11, now=DEMO_NOW)
    census = cin_census(ServiceContext(db, "aud", clock=lambda: DEMO_NOW), year, "821")
    assert len(census.children) > 20
    document = census_xml(census)
    verdict = run_rules(document, year, tmp_path)
    assert verdict.crashed == ()
    assert verdict.errors == []
    assert unexplained(verdict, document) == []
