"""Running the DfE's CIN census validation rules (``csc-validator-be-cin``) on an export, and the
explanation of every query the rules may raise on what MASH Desk writes.

The validator lives in its own environment, ``.venv-cin`` (``make setup``), and is run as a
subprocess (``tools/cin_validator/run.py``): it pins pandas 1.5 and numpy below 2.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VALIDATOR_PYTHON = REPO / ".venv-cin" / "bin" / "python"
RUNNER = REPO / "tools" / "cin_validator" / "run.py"


@dataclass(frozen=True)
class Issue:
    code: str
    kind: str  # "error" or "query"
    message: str
    child: str | None = None
    table: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Verdict:
    ruleset: str
    rules: int
    issues: tuple[Issue, ...]
    return_level: tuple[Issue, ...]
    crashed: tuple[str, ...]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in (*self.issues, *self.return_level) if i.kind == "error"]

    @property
    def queries(self) -> list[Issue]:
        return [i for i in (*self.issues, *self.return_level) if i.kind == "query"]

    def counts(self) -> str:
        return f"{len(self.errors)} errors, {len(self.queries)} queries"


def run_rules(document: bytes, year: int, folder: Path) -> Verdict:
    """The rules of the census year ending 31 March ``year`` on ``document``."""
    if not VALIDATOR_PYTHON.exists():
        pytest.fail(
            f"The CIN validator is not installed ({VALIDATOR_PYTHON} is missing): run `make setup`.", pytrace=False
        )
    target = folder / f"cin-{year}.xml"
    target.write_bytes(document)
    done = subprocess.run(
        [str(VALIDATOR_PYTHON), str(RUNNER), str(target), "--year", str(year)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return Verdict(
        ruleset=found["ruleset"],
        rules=found["rules"],
        issues=tuple(Issue(**issue) for issue in found["issues"]),
        return_level=tuple(Issue(**issue) for issue in found["return_level"]),
        crashed=tuple(found["crashed"]),
    )


# --- reading the export back, to check each query's explanation --------------------------------------


@dataclass(frozen=True)
class ChildItems:
    child_id: str
    upn: str | None
    upn_unknown: str | None
    birth_date: date | None
    expected_birth_date: date | None
    sex: str | None
    episodes: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Return:
    reference_date: date
    written_on: date
    children: dict[str, ChildItems]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def read_return(document: bytes) -> Return:
    root = ET.fromstring(document)
    header = root.find("Header")
    assert header is not None
    reference = _day(header.findtext("CollectionDetails/ReferenceDate"))
    written = header.findtext("Source/DateTime")
    assert reference is not None
    assert written is not None
    children: dict[str, ChildItems] = {}
    for child in root.iter("Child"):
        ids = child.find("ChildIdentifiers")
        assert ids is not None
        child_id = ids.findtext("LAchildID") or ""
        children[child_id] = ChildItems(
            child_id=child_id,
            upn=ids.findtext("UPN"),
            upn_unknown=ids.findtext("UPNunknown"),
            birth_date=_day(ids.findtext("PersonBirthDate")),
            expected_birth_date=_day(ids.findtext("ExpectedPersonBirthDate")),
            sex=ids.findtext("Sex") or ids.findtext("GenderCurrent"),
            episodes=tuple({item.tag: item.text or "" for item in cin} for cin in child.iter("CINdetails")),
        )
    return Return(reference, datetime.fromisoformat(written).date(), children)


@dataclass(frozen=True)
class Explanation:
    """Why MASH Desk's export raises a query, and the test that it is raised only for that reason."""

    why: str
    holds: Callable[[Return, ChildItems | None], bool]


def _no_upn_of_school_age(census: Return, child: ChildItems | None) -> bool:
    return (
        child is not None
        and child.upn is None
        and child.upn_unknown is None
        and child.birth_date is not None
        and child.birth_date <= date(census.reference_date.year - 6, 8, 31)
    )


def _expected_while_the_year_runs(census: Return, child: ChildItems | None) -> bool:
    return (
        child is not None
        and child.expected_birth_date is not None
        and census.written_on < census.reference_date
        and child.expected_birth_date >= census.written_on
        and child.expected_birth_date <= census.reference_date - timedelta(days=30)
    )


def _closed_at_the_front_door(census: Return, child: ChildItems | None) -> bool:
    return child is not None and any(
        e.get("ReasonForClosure") == "RC8" and e.get("ReferralNFA") == "true" for e in child.episodes
    )


def _many_without_sex(census: Return, child: ChildItems | None) -> bool:
    born = [c for c in census.children.values() if c.expected_birth_date is None]
    return child is None and sum(c.sex == "U" for c in born) > 0.02 * len(census.children)


def _disability_kinds_not_recorded(census: Return, child: ChildItems | None) -> bool:
    return child is None  # the MASH records whether a child is disabled, never how: only NONE is written


def _no_birth_date(census: Return, child: ChildItems | None) -> bool:
    return child is not None and child.birth_date is None and child.expected_birth_date is None


QUERIES: dict[str, Explanation] = {
    "8770Q": Explanation(
        "A child of school age referred for further action whose UPN, and the reason it is unknown, are not "
        "recorded (or whose stored UPN failed today's checks and was left out): the receiving team, which "
        "works with the school, completes it before the return goes.",
        _no_upn_of_school_age,
    ),
    "8530Q": Explanation(
        "An unborn child expected more than 30 days before the census date, in a year not over yet: the "
        "baby is not due until after today, and the birth is recorded when the MASH hears of it.",
        _expected_while_the_year_runs,
    ),
    "8825Q": Explanation(
        "RC8 with no assessment: a referral the front door closed with no further action is returned as a "
        "referral NFA, closed RC8 as the DfE's guide asks, and so never had an assessment.",
        _closed_at_the_front_door,
    ),
    "2886Q": Explanation(
        "More than 2% of children with sex U: the MASH writes what the referrer knew, and the receiving "
        "team records the rest.",
        _many_without_sex,
    ),
    "2887Q": Explanation(
        "Fewer than 8 disability codes: the MASH records whether a child is disabled, not how.",
        _disability_kinds_not_recorded,
    ),
    "2888Q": Explanation(
        "One disability code per child: the MASH records whether a child is disabled, not how.",
        _disability_kinds_not_recorded,
    ),
    "8525Q": Explanation("Neither a date of birth nor an expected date: the referrer did not know it.", _no_birth_date),
}


def unexplained(verdict: Verdict, document: bytes) -> list[str]:
    """Every query raised that has no explanation, or whose explanation does not hold for it."""
    census = read_return(document)
    problems: list[str] = []
    for query in verdict.queries:
        explanation = QUERIES.get(query.code)
        child = census.children.get(query.child) if query.child else None
        if explanation is None:
            problems.append(f"{query.code} ({query.message}) has no explanation")
        elif not explanation.holds(census, child):
            problems.append(f"{query.code} for {query.child}: the explanation does not hold ({explanation.why})")
    return problems
