"""The quarterly pack's partnership sections (issue 14): the case audits and the threshold exercises
carry exactly ``audit_summary``'s and ``exercise_summary``'s numbers, worded, in the PDF (small numbers
suppressed) and in the CSV (exact), and the pack's footer names the pack, not a "Reference"."""

from __future__ import annotations

import csv
import io
from datetime import date

from pypdf import PdfReader

from mash_desk.domain.audits import GRADE_ORDER, AuditGrade
from mash_desk.domain.enums import Outcome
from mash_desk.domain.periods import london_date
from mash_desk.domain.suppression import shown_count
from mash_desk.services import audits, exercises
from mash_desk.services.pack import build_pack
from mash_desk.services.pack.partners import AUDITS_TITLE, EXERCISES_TITLE
from mash_desk.store.models import Contact
from tests.audit_cases import agency_ids, decided_cases, good_grading, set_up
from tests.support import World

GRADE_WORDS = {
    AuditGrade.OUTSTANDING: "Outstanding",
    AuditGrade.GOOD: "Good",
    AuditGrade.REQUIRES_IMPROVEMENT: "Requires improvement",
    AuditGrade.INADEQUATE: "Inadequate",
}


def _quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _graded_audit_and_closed_exercise(world: World) -> date:
    """Five decided neglect cases (each decided at level 3, a child and family assessment). Three become
    an exercise rated by three agencies and closed; then all five are audited by social care and the
    police (ten gradings, all "requires improvement") and one action is agreed. The day it closed."""
    cases = decided_cases(world, 5)
    with world.db.session() as session:
        references = [session.get_one(Contact, case.id).reference for case in cases]
    exercise_id = exercises.create_exercise(world.maria, "Neglect thresholds, autumn")
    exercises.add_contacts(world.maria, exercise_id, ", ".join(references[:3]))
    for vignette in exercises.vignettes(world.maria, exercise_id):
        exercises.review_vignette(world.maria, vignette.id, vignette.text, vignette.version)
    exercises.open_exercise(world.maria, exercise_id)
    outcome = {3: Outcome.CFA_S17, 4: Outcome.STRATEGY_S47}
    for who, levels in {"sam": (3, 3, 4), "police": (3, 3, 4), "health": (3, 4, 4)}.items():
        ctx = getattr(world, who)
        for to_rate, level in zip(exercises.vignettes_to_rate(ctx), levels, strict=True):
            exercises.rate_vignette(ctx, to_rate.vignette_id, level, outcome[level])
    exercises.close_exercise(world.maria, exercise_id)
    (closed,) = exercises.exercises(world.maria)
    assert closed.closed_at is not None
    # PostgreSQL stamps the closing with the server's time: audit in the same quarter
    world.clock.current = closed.closed_at
    made = set_up(world, size=5)
    for who, agency in (("sam", "SOCIAL_CARE"), ("pc_jones", "POLICE")):
        ctx = world.as_(who)
        for case in audits.my_audit_cases(ctx):
            audits.grade_case(ctx, case.id, **good_grading(world, agency))  # type: ignore[arg-type]
    audits.add_action(
        world.auditor,
        made.id,
        what="Health visitors to record the GCP2 offer",
        owner="Jan Cole",
        agency_id=agency_ids(world)["HEALTH"],
        due_on=london_date(closed.closed_at),
    )
    return london_date(closed.closed_at)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _csv_rows(text: str, section: str) -> list[dict[str, str]]:
    return [row for row in csv.DictReader(io.StringIO(text)) if row["section"] == section]


def test_the_pack_carries_the_audit_and_exercise_summaries_numbers(world: World) -> None:
    closed_on = _graded_audit_and_closed_exercise(world)
    quarter = _quarter_of(closed_on)
    pack = build_pack(world.maria, quarter)
    first, last = pack.period.first, pack.period.last
    audit = audits.audit_summary(world.maria, first, last)
    exercise = exercises.exercise_summary(world.maria, first, last)
    assert (audit.gradings, audit.cases_graded, audit.actions_open, exercise.closed) == (10, 5, 1, 1)
    titles = [section.title for section in pack.document.sections]
    assert titles[-2:] == [AUDITS_TITLE, EXERCISES_TITLE]
    text = _pdf_text(pack.pdf)
    assert "Not in this pack" not in text

    # the audits: every table row is a number of audit_summary's, themes and grades in words
    expected: dict[str, tuple[int, int | None]] = {
        "Audits set up": (audit.audits_set_up, None),
        "Cases graded": (audit.cases_graded, None),
        "Gradings made": (audit.gradings, None),
        "Actions open at the quarter's end": (audit.actions_open, None),
        "Actions overdue at the quarter's end": (audit.actions_overdue, audit.actions_open),
        "Actions done by the quarter's end": (audit.actions_done, None),
        "Actions done in the quarter": (audit.actions_done_in_period, audit.actions_done),
    }
    for tally in audit.by_agency:
        expected |= {f"{tally.label}: {GRADE_WORDS[g]}": (tally.count(g), tally.total) for g in GRADE_ORDER}
    assert [tally.label for tally in audit.by_theme] == ["neglect"]  # the summary's code...
    for tally in audit.by_theme:
        expected |= {f"Neglect: {GRADE_WORDS[g]}": (tally.count(g), tally.total) for g in GRADE_ORDER}
    audit_rows = _csv_rows(pack.csv_files["tables.csv"], AUDITS_TITLE)
    found = {row["measure"]: (int(row["count"]), int(row["out_of"]) if row["out_of"] else None) for row in audit_rows}
    assert found == expected
    for row in audit_rows:
        assert row["pdf_count"] == shown_count(int(row["count"]))
    assert "Table A1. Case audits in the quarter" in text
    assert "Gradings made 10" in text
    assert "Cases graded 5" in text
    assert "Actions open at the quarter's end <5" in text  # one action: suppressed
    assert "Police: Requires improvement 5 5 100.0%" in text
    assert "Children's Social Care: Good 0 5 0.0%" in text  # zero is shown
    assert "Neglect: Requires improvement 10 10 100.0%" in text  # ...the pack's word
    assert "neglect: Requires" not in text
    assert "requires_improvement" not in text
    bars = _csv_rows(pack.csv_files["charts.csv"], AUDITS_TITLE)
    by_agency = {(b["category"], b["series"]): int(b["count"]) for b in bars if b["figure"] == "Figure A1"}
    assert by_agency == {
        (tally.label, GRADE_WORDS[g]): tally.count(g) for tally in audit.by_agency for g in GRADE_ORDER
    }
    actions = {b["category"]: int(b["count"]) for b in bars if b["figure"] == "Figure A3"}
    assert actions == {
        "Open, not yet overdue": audit.actions_open - audit.actions_overdue,
        "Open and overdue": audit.actions_overdue,
        "Done": audit.actions_done,
    }

    # the exercises: agreement and kappa exactly as exercise_summary has them
    overall = exercise.overall
    assert overall.level.kappa is not None
    assert (overall.raters, overall.ratings, overall.vignettes) == (3, 9, 3)
    exercise_rows = {row["measure"]: row for row in _csv_rows(pack.csv_files["tables.csv"], EXERCISES_TITLE)}
    kappa = exercise_rows["All agencies: level of need, Fleiss' kappa"]
    assert kappa["value"] == f"{overall.level.kappa:.4f}"
    assert (kappa["out_of"], kappa["pdf_value"]) == (str(overall.level.ratings), f"{overall.level.kappa:.2f}")
    agreement = exercise_rows["All agencies: outcome, agreement"]
    assert agreement["value"] == f"{overall.outcome.percentage:.2f}"
    assert exercise_rows["Ratings"]["count"] == "9"
    assert exercise_rows["Ratings at the level decided"]["count"] == str(round(overall.matches_level * 9))  # type: ignore[operator]
    for agency in exercise.agencies:
        f = agency.figures
        at = exercise_rows[f"{agency.agency}: at the level decided"]
        higher = exercise_rows[f"{agency.agency}: higher than decided"]
        assert (int(at["count"]), int(at["out_of"])) == (round(f.matches_level * f.ratings), f.ratings)  # type: ignore[operator]
        assert int(higher["count"]) == round(f.higher * f.ratings)  # type: ignore[operator]
        assert at["pdf_count"] == "<5"  # three ratings an agency: suppressed
    # every real decision was level 3; Sam and the police rated (3, 3, 4), health (3, 4, 4)
    assert "Table B2. Agreement between raters, overall and by agency" in text
    assert f"All agencies: level of need, Fleiss' kappa {overall.level.kappa:.2f} 9" in text
    assert f"All agencies: level of need, agreement {overall.level.percentage:.1f}% 9" in text
    assert "Ratings 9" in text
    assert "People who rated <5" in text
    assert "Ratings at the level decided 5 9 55.6%" in text
    assert "Health: at the level decided <5 <5 *" in text
    # one health visitor rated: with nobody to agree with, the agency's kappa is not defined
    assert "Health: level of need, Fleiss' kappa n/a 0" in text
    sits = _csv_rows(pack.csv_files["charts.csv"], EXERCISES_TITLE)
    assert {(b["category"], b["series"]): b["count"] for b in sits} == {
        ("Children's Social Care", "Lower than decided"): "0",
        ("Children's Social Care", "At the level decided"): "2",
        ("Children's Social Care", "Higher than decided"): "1",
        ("Police", "Lower than decided"): "0",
        ("Police", "At the level decided"): "2",
        ("Police", "Higher than decided"): "1",
        ("Health", "Lower than decided"): "0",
        ("Health", "At the level decided"): "1",
        ("Health", "Higher than decided"): "2",
    }
    definitions = _csv_rows(pack.csv_files["definitions.csv"], EXERCISES_TITLE)
    assert {d["number"] for d in definitions} == {"Table B1", "Table B2", "Figure B1", "Table B3"}
    assert all(d["definition"] for d in definitions)

    # the footer names the pack; no "Reference Partnership pack"
    assert f"Safeguarding Children Partnership quarterly pack {quarter} · OFFICIAL" in text
    assert "Reference" not in text


def test_an_administrator_gets_the_pack_without_the_partnerships_sections_and_is_told(world: World) -> None:
    closed_on = _graded_audit_and_closed_exercise(world)
    pack = build_pack(world.admin, _quarter_of(closed_on))
    assert AUDITS_TITLE not in [section.title for section in pack.document.sections]
    text = _pdf_text(pack.pdf)
    assert "Not in this pack: Multi-agency case audits" in text
    assert "only managers and the partnership's auditors may see them" in text
    assert "Gradings made" not in text
    assert "Fleiss' kappa 0" not in text
