"""The pack's two partnership sections: the case audits and the threshold exercises (issue 14).

One source each: every number here is a field of ``services.audits.summary.audit_summary`` or
``services.exercises.summary.exercise_summary`` for the quarter, only chosen, worded and laid out
(a share of ratings becomes the count of ratings it was taken from). Themes and grades are named in
the audit report's words; agencies by their names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mash_desk.domain.audits import GRADE_ORDER, AuditTheme
from mash_desk.letters.audit_report import GRADE_WORDS
from mash_desk.letters.pack import PackChart, PackRow, PackSection, PackStatistic, PackTable
from mash_desk.services.audits.report import THEME_WORDS
from mash_desk.services.audits.summary import GradeTally, audit_summary
from mash_desk.services.context import ServiceContext
from mash_desk.services.exercises.results import Figures
from mash_desk.services.exercises.summary import exercise_summary

AUDITS_TITLE = "Multi-agency case audits"
EXERCISES_TITLE = "Threshold consistency exercises"
GRADED_IN = "case gradings an auditor made in the quarter (London dates)"


class _Numbering:
    """Tables and figures numbered with the section's letter: "Table A1", "Figure A1"."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.tables = 0
        self.figures = 0

    def table(self, title: str, rows: Sequence[PackRow], definition: str, base_heading: str = "") -> PackTable:
        self.tables += 1
        return PackTable(f"Table {self.prefix}{self.tables}", title, tuple(rows), definition, base_heading)

    def chart(
        self, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], definition: str
    ) -> PackChart:
        self.figures += 1
        return PackChart(
            f"Figure {self.prefix}{self.figures}",
            title,
            tuple(categories),
            tuple((name, tuple(values)) for name, values in series),
            definition,
        )


def theme_words(code: str) -> str:
    """The audit summary labels a theme by its code ("domestic_abuse"): the report's words for it."""
    return THEME_WORDS[AuditTheme(code)]


def _grade_rows(tallies: Sequence[GradeTally], word: str = "") -> list[PackRow]:
    return [
        PackRow(f"{word or tally.label}: {GRADE_WORDS[grade]}", tally.count(grade), tally.total)
        for tally in tallies
        for grade in GRADE_ORDER
    ]


def _grade_series(tallies: Sequence[GradeTally]) -> list[tuple[str, list[int]]]:
    return [(GRADE_WORDS[grade], [tally.count(grade) for tally in tallies]) for grade in GRADE_ORDER]


def audits_section(ctx: ServiceContext, first: date, last: date, prefix: str) -> PackSection:
    """Grades by agency and by theme, and the actions' state, from ``audit_summary`` for the quarter."""
    s = audit_summary(ctx, first, last)
    n = _Numbering(prefix)
    themes = [GradeTally(theme_words(tally.label), tally.counts) for tally in s.by_theme]
    open_not_overdue = s.actions_open - s.actions_overdue
    return PackSection(
        AUDITS_TITLE,
        "Cases audited by auditors from several agencies: the grade each case's handling was given, overall "
        "under the audit's theme and for each agency's part, and whether the actions agreed are being done.",
        (
            n.table(
                "Case audits in the quarter",
                [
                    PackRow("Audits set up", s.audits_set_up),
                    PackRow("Cases graded", s.cases_graded),
                    PackRow("Gradings made", s.gradings),
                    PackRow("Actions open at the quarter's end", s.actions_open),
                    PackRow("Actions overdue at the quarter's end", s.actions_overdue, s.actions_open),
                    PackRow("Actions done by the quarter's end", s.actions_done),
                    PackRow("Actions done in the quarter", s.actions_done_in_period, s.actions_done),
                ],
                "Audits set up: audits created in the quarter. Cases graded: distinct cases with at least one "
                f"grading in the quarter; gradings made: {GRADED_IN} (a case graded by two auditors counts twice). "
                "Actions: every action agreed by the quarter's end (or now, if the quarter has not ended), by its "
                "state then: done, or open; overdue is open past its due day, out of the open actions. Done in the "
                "quarter: out of all done by its end.",
            ),
            n.chart(
                "Grades by agency",
                [tally.label for tally in s.by_agency],
                _grade_series(s.by_agency),
                f"For {GRADED_IN}, the grade given to each agency's part in the case, by agency. The same numbers "
                "are in the table that follows.",
            ),
            n.table(
                "Grades by agency",
                _grade_rows(s.by_agency),
                f"For {GRADED_IN}: the findings about each agency's part graded at each grade, out of all that "
                "agency's graded findings.",
            ),
            n.chart(
                "Grades by theme",
                [tally.label for tally in themes],
                _grade_series(themes),
                f"For {GRADED_IN}: each case's overall grade, by the theme of its audit. The same numbers are in "
                "the table that follows.",
            ),
            n.table(
                "Grades by theme",
                _grade_rows(themes),
                f"For {GRADED_IN}: the overall grades at each grade, out of all the theme's gradings.",
            ),
            n.chart(
                "Actions by state at the quarter's end",
                ["Open, not yet overdue", "Open and overdue", "Done"],
                [("Actions", [open_not_overdue, s.actions_overdue, s.actions_done])],
                "Every action agreed by the quarter's end (or now), by its state then. Table "
                f"{prefix}1's numbers (open, not yet overdue: the open actions less the overdue).",
            ),
        ),
    )


def _of(share: float | None, ratings: int) -> int:
    """The count of ratings a share was taken from (the summary keeps shares; the pack shows counts)."""
    return 0 if share is None else round(share * ratings)


def _agreement_rows(label: str, f: Figures, outcome_too: bool) -> list[PackRow]:
    level, outcome = f.level, f.outcome
    rows = [
        PackRow(f"{label}: level of need, agreement", None, level.ratings, PackStatistic(level.percentage, True)),
        PackRow(f"{label}: level of need, Fleiss' kappa", None, level.ratings, PackStatistic(level.kappa)),
    ]
    if outcome_too:
        rows += [
            PackRow(f"{label}: outcome, agreement", None, outcome.ratings, PackStatistic(outcome.percentage, True)),
            PackRow(f"{label}: outcome, Fleiss' kappa", None, outcome.ratings, PackStatistic(outcome.kappa)),
        ]
    return rows


def _against_decision(f: Figures) -> tuple[int, int, int]:
    """Ratings below, at and above the level actually decided."""
    return _of(f.lower, f.ratings), _of(f.matches_level, f.ratings), _of(f.higher, f.ratings)


def exercises_section(ctx: ServiceContext, first: date, last: date, prefix: str) -> PackSection:
    """Agreement overall and by agency, and each agency against the real decision, from ``exercise_summary``."""
    s = exercise_summary(ctx, first, last)
    n = _Numbering(prefix)
    overall = s.overall
    agencies = [a.agency for a in s.agencies]
    sits = [_against_decision(a.figures) for a in s.agencies]
    against_rows = [
        row
        for a, (lower, at, higher) in zip(s.agencies, sits, strict=True)
        for row in (
            PackRow(f"{a.agency}: at the level decided", at, a.figures.ratings),
            PackRow(f"{a.agency}: higher than decided", higher, a.figures.ratings),
            PackRow(f"{a.agency}: lower than decided", lower, a.figures.ratings),
            PackRow(
                f"{a.agency}: with the outcome decided",
                _of(a.figures.matches_outcome, a.figures.ratings),
                a.figures.ratings,
            ),
        )
    ]
    closed_in = "exercises closed in the quarter (London dates), their ratings taken together"
    return PackSection(
        EXERCISES_TITLE,
        "Staff of every agency rated anonymised past contacts (the level of need, 1 to 4, and the outcome) "
        "without seeing what was decided: how far they agree with each other, and with the decision made.",
        (
            n.table(
                "Threshold exercises closed in the quarter",
                [
                    PackRow("Exercises closed", s.closed),
                    PackRow("People who rated", overall.raters),
                    PackRow("Vignettes rated", overall.vignettes),
                    PackRow("Ratings", overall.ratings),
                    PackRow(
                        "Ratings at the level decided", _of(overall.matches_level, overall.ratings), overall.ratings
                    ),
                    PackRow(
                        "Ratings with the outcome decided",
                        _of(overall.matches_outcome, overall.ratings),
                        overall.ratings,
                    ),
                ],
                f"For {closed_in}: the people who rated, the vignettes they rated and their ratings. At the level "
                "decided, with the outcome decided: ratings that matched what the MASH actually decided for the "
                "real contact, out of all ratings.",
            ),
            n.table(
                "Agreement between raters, overall and by agency",
                _agreement_rows("All agencies", overall, outcome_too=True)
                + [row for a in s.agencies for row in _agreement_rows(a.agency, a.figures, outcome_too=False)],
                f"For {closed_in}. Agreement: the share of pairs of people rating the same vignette who chose the "
                "same level (or outcome), averaged over vignettes. Fleiss' kappa: that agreement beyond what chance "
                "would give (1 is complete agreement, 0 no better than chance). By agency: the level of need, among "
                "that agency's raters only. Ratings: those on vignettes rated by at least two people (others say "
                "nothing about agreement). n/a: not defined (fewer than two ratings, or every rating alike).",
                base_heading="Ratings",
            ),
            n.chart(
                "Where each agency sits against the decision made",
                agencies,
                [
                    ("Lower than decided", [lower for lower, _at, _higher in sits]),
                    ("At the level decided", [at for _lower, at, _higher in sits]),
                    ("Higher than decided", [higher for _lower, _at, higher in sits]),
                ],
                f"For {closed_in}: each agency's ratings of the level of need, against the level the MASH "
                "actually decided. The same numbers are in the table that follows.",
            ),
            n.table(
                "Each agency against the decision made",
                against_rows,
                f"For {closed_in}: each agency's ratings at, above and below the level of need actually decided, "
                "and with the outcome actually decided, out of all that agency's ratings.",
            ),
        ),
    )
