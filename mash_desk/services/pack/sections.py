"""The quarterly pack's sections, built from the dashboard's own figure rows (``dashboard.measure_rows``).

Every table row *is* a row of ``mash-desk report --period`` for the same period (same section, same
measure, same numbers), and every chart is drawn from such rows, so the pack, the dashboard and the
report cannot disagree. Each table and chart carries its definition for the appendix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from mash_desk.domain.patterns import PatternKind
from mash_desk.letters.pack import PackChart, PackRow, PackSection, PackTable
from mash_desk.services.dashboard import TENURE_WORDS, FrontDoorMeasures, measure_rows
from mash_desk.services.patterns import PATTERN_LABELS

Row = tuple[str, str, int | None, int | None]
PERIOD_NOTE = "contacts received by the MASH in the quarter (London dates)"


class _Numbering:
    """Tables and figures numbered in reading order."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self, title: str, rows: Sequence[Row], definition: str) -> PackTable:
        self.tables += 1
        return PackTable(
            f"Table {self.tables}",
            title,
            tuple(PackRow(measure, count, out_of) for _section, measure, count, out_of in rows),
            definition,
        )

    def chart(
        self, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], definition: str
    ) -> PackChart:
        self.figures += 1
        return PackChart(
            f"Figure {self.figures}",
            title,
            tuple(categories),
            tuple((name, tuple(values)) for name, values in series),
            definition,
        )


def _pick(rows: Iterable[Row], section: str, keep: Callable[[str], bool] = lambda _m: True) -> list[Row]:
    return [row for row in rows if row[0] == section and keep(row[1])]


def _about(*labels: str) -> Callable[[str], bool]:
    """Breakdown rows about any of ``labels`` ("Contacts: Neglect", "Became a referral: Neglect")."""
    wanted = set(labels)
    return lambda measure: measure.partition(": ")[2] in wanted


def _count(row: Row) -> int:
    return int(row[2] or 0)


def pack_sections(m: FrontDoorMeasures) -> tuple[PackSection, ...]:
    """Every section of the pack, in reading order, from the measures of one quarter."""
    rows = measure_rows(m)
    n = _Numbering()
    sections = [
        _contacts(rows, n),
        _timeliness(rows, n),
        _neglect(rows, n),
        _domestic_abuse(rows, n),
        _interpreters(rows, n),
        _housing(rows, n),
        _supervision(rows, n, m),
    ]
    return tuple(sections)


def _contacts(rows: list[Row], n: _Numbering) -> PackSection:
    by_source = _pick(rows, "Conversion", lambda s: s.startswith("Contact to referral: ") and "all sources" not in s)
    outcomes = _pick(rows, "Outcomes", lambda s: s.startswith("Children: "))
    headline = _pick(rows, "Volume") + _pick(rows, "Outcomes", lambda s: not s.startswith("Children: "))
    headline += _pick(rows, "Conversion", lambda s: s == "Contact to referral: all sources")
    return PackSection(
        "Contacts and referrals",
        "How many contacts the MASH received, where they came from, how many became referrals to children's "
        "social care, and what was decided for each child.",
        (
            n.table(
                "Contacts, referrals and re-referrals",
                headline,
                f"Contacts: {PERIOD_NOTE}. Referrals: children whose authorised outcome was a child and family "
                "assessment, a strategy discussion or emergency protection, counted once per child per day (CIN "
                "census rule). Re-referral: another referral of the same child in the 12 months before. NFA: of "
                "children with an authorised outcome.",
            ),
            n.chart(
                "Contacts and referrals by referral source",
                [measure.removeprefix("Contact to referral: ") for _s, measure, _c, _o in by_source],
                [
                    ("Contacts", [int(out_of or 0) for *_rest, out_of in by_source]),
                    ("Became a referral", [_count(row) for row in by_source]),
                ],
                "Contacts received in the quarter by CIN census referral source, and of them the contacts where at "
                "least one child's authorised outcome was a referral. The same numbers are in Table 3.",
            ),
            n.chart(
                "Children by authorised outcome",
                [measure.removeprefix("Children: ") for _s, measure, _c, _o in outcomes],
                [("Children", [_count(row) for row in outcomes])],
                "Each child named in a contact received in the quarter, by the outcome a manager authorised. "
                "Children still awaiting a decision are not counted. The same numbers are in the table that follows.",
            ),
            n.table(
                "Children by authorised outcome",
                outcomes,
                "Children named in contacts received in the quarter, by authorised outcome, out of all children with "
                "an authorised outcome.",
            ),
            n.table(
                "Contact to referral, by referral source",
                by_source,
                "For each CIN census referral source: contacts where at least one child became a referral, out of "
                "all contacts from that source received in the quarter.",
            ),
        ),
    )


def _timeliness(rows: list[Row], n: _Numbering) -> PackSection:
    by_rag = _pick(rows, "Timeliness by RAG")
    return PackSection(
        "Timeliness",
        "Whether decisions were made within one working day of receipt, work was completed within its RAG "
        "timescale, and agencies returned their checks on time.",
        (
            n.chart(
                "Decided within the RAG timescale, by rating",
                [measure.partition(":")[0] for _s, measure, _c, _o in by_rag],
                [
                    ("Within the timescale", [_count(row) for row in by_rag]),
                    ("After the deadline", [int(row[3] or 0) - _count(row) for row in by_rag]),
                ],
                "Contacts received in the quarter, rated RED, AMBER or GREEN and decided, by whether the decision "
                "came by the deadline the rating set (the administrator's timescale policy). The same numbers are in "
                "the table that follows.",
            ),
            n.table(
                "Timeliness against the decision and RAG timescales",
                _pick(rows, "Timeliness") + by_rag + _pick(rows, "Management review"),
                "Decided within one working day: of contacts decided, those decided by the statutory deadline "
                "(working days skip weekends and bank holidays). Completed within the RAG timescale: of rated, "
                "decided contacts. Agency returns: of checks returned. Outstanding and undecided counts are as at "
                "the time the pack was made. Management review: contacts a manager returned at least once.",
            ),
        ),
    )


def _neglect(rows: list[Row], n: _Numbering) -> PackSection:
    neglect = PATTERN_LABELS[PatternKind.CUMULATIVE_NEGLECT]
    headline = _pick(rows, "Breakdowns", _about("Neglect", neglect)) + _pick(rows, "Patterns")
    gcp = _pick(rows, "Neglect", lambda s: s.startswith(("Graded Care Profile 2", "Children assessed")))
    grades = _pick(rows, "Neglect", lambda s: s.startswith("GCP2 "))
    decided = _pick(rows, "Neglect", lambda s: s.startswith("Cumulative neglect decided: "))
    areas = list(dict.fromkeys(measure.removeprefix("GCP2 ").partition(": grade")[0] for _s, measure, _c, _o in grades))
    series = [
        (
            f"Grade {grade}",
            [next(_count(r) for r in grades if r[1] == f"GCP2 {area}: grade {grade}") for area in areas],
        )
        for grade in range(1, 6)
    ]
    return PackSection(
        "Neglect",
        "Contacts about neglect, how often the Graded Care Profile 2 was used and the grades it gave, and what "
        "managers decided when MASH Desk showed a pattern of cumulative neglect.",
        (
            n.table(
                "Neglect contacts and cumulative neglect",
                headline + gcp,
                "Neglect: contacts received in the quarter with neglect among their concerns, and of them those "
                "that became a referral. Cumulative neglect: contacts where the child's history met the "
                "administrator's pattern threshold (so many neglect contacts within so many months). Graded Care "
                "Profile 2: assessments recorded in the quarter (by the date recorded); reviews overdue are as at "
                "the time the pack was made.",
            ),
            n.chart(
                "Graded Care Profile 2 grades by area",
                areas,
                series,
                "Graded Care Profile 2 assessments recorded in the quarter, by the grade given in each of the four "
                "areas (1 best, 5 worst).",
            ),
            n.table(
                "What managers decided about cumulative neglect",
                decided,
                "Contacts received in the quarter on which a manager recorded a decision about a cumulative "
                "neglect pattern, by the decision.",
            ),
        ),
    )


def _domestic_abuse(rows: list[Row], n: _Numbering) -> PackSection:
    repeated = PATTERN_LABELS[PatternKind.REPEATED_DOMESTIC_ABUSE]
    dash = _pick(rows, "Domestic abuse", lambda s: s.startswith("DASH checklists: "))
    return PackSection(
        "Domestic abuse",
        "Contacts about domestic abuse, households with repeated notifications, DASH risk checklists by level "
        "and referrals to MARAC.",
        (
            n.table(
                "Domestic abuse, DASH and MARAC",
                _pick(rows, "Breakdowns", _about("Domestic abuse", repeated)) + _pick(rows, "Domestic abuse"),
                "Domestic abuse: contacts received in the quarter with domestic abuse among their concerns. Repeated "
                "domestic abuse: contacts where the household met the pattern threshold. DASH checklists and MARAC "
                "referrals: recorded in the quarter (standard 0-9, medium 10-13, high 14+ or professional judgement).",
            ),
            n.chart(
                "DASH risk checklists by level",
                [measure.removeprefix("DASH checklists: ") for _s, measure, _c, _o in dash],
                [("Checklists", [_count(row) for row in dash])],
                "DASH risk checklists recorded in the quarter, by the level they gave.",
            ),
        ),
    )


def _interpreters(rows: list[Row], n: _Numbering) -> PackSection:
    family = PATTERN_LABELS[PatternKind.FAMILY_INTERPRETER]
    who = _pick(rows, "Interpreters")
    return PackSection(
        "Interpreters",
        "Children who needed an interpreter, and who interpreted when the MASH spoke with families: reviews "
        "repeatedly say it must be a professional, never a child.",
        (
            n.table(
                "Interpreters needed",
                _pick(rows, "Breakdowns", _about("Interpreter needed", family)),
                "Interpreter needed: contacts received in the quarter naming a child recorded as needing an "
                "interpreter. A family member or child interpreted: contacts where a conversation with the family "
                "was interpreted by a relative or a child.",
            ),
            n.chart(
                "Who interpreted conversations with families",
                [measure.removeprefix("Conversations with families: ") for _s, measure, _c, _o in who],
                [("Conversations", [_count(row) for row in who])],
                "Conversations with families held in the quarter (by the date held), by who interpreted. "
                "Table 11's numbers.",
            ),
            n.table(
                "Who interpreted",
                who,
                "Conversations with families held in the quarter, by who interpreted, out of all conversations.",
            ),
        ),
    )


def _housing(rows: list[Row], n: _Numbering) -> PackSection:
    moving = PATTERN_LABELS[PatternKind.MOVING_HOUSEHOLD]
    labels = ("Temporary accommodation", "Overcrowded", "Homeless", *TENURE_WORDS.values(), moving)
    return PackSection(
        "Housing",
        "Housing circumstances of the households in contacts, and households that keep moving (records and "
        "professionals are lost at each move).",
        (
            n.table(
                "Housing circumstances and moves",
                _pick(rows, "Breakdowns", _about(*labels)),
                "Contacts received in the quarter whose household was in each circumstance when the contact was "
                "logged (tenures nobody had are left out), and of them those that became a referral. A household "
                "that keeps moving: the pattern threshold for addresses within so many months was met.",
            ),
        ),
    )


def _supervision(rows: list[Row], n: _Numbering, m: FrontDoorMeasures) -> PackSection:
    assert m.themes is not None
    months = m.themes.supervision.months
    month_rows = _pick(rows, "Supervision", lambda s: s[:3].isalpha() and ": " in s and s[4:8].isdigit())
    return PackSection(
        "Supervision and caseloads",
        f"Case supervision of practitioners (policy: {m.themes.supervision.frequency_words}) against the work "
        "they held, month by month.",
        (
            n.chart(
                "Supervision month by month",
                [f"{month.month_end:%b %Y}" for month in months],
                [
                    ("Practitioners supervised", [month.practitioners_supervised for month in months]),
                    ("Overdue at the month's end", [month.overdue_at_end for month in months]),
                ],
                "For each month of the quarter: practitioners with at least one supervision held that month, and "
                "practitioners whose next supervision was overdue on the month's last day (never supervised counts "
                "as overdue). The same numbers are in the table that follows.",
            ),
            n.chart(
                "Open caseload at each month's end",
                [f"{month.month_end:%b %Y}" for month in months],
                [("Contacts held by practitioners", [month.caseload_at_end for month in months])],
                "Contacts received by the month's last day and not yet decided, assigned to an active practitioner "
                "(by the contact's current worker).",
            ),
            n.table(
                "Supervision and caseloads",
                [row for row in _pick(rows, "Supervision") if row not in month_rows] + month_rows,
                "Supervisions held and cases discussed: by the date the supervision was held. Overdue now: active "
                "practitioners whose last supervision was longer ago than the policy allows, as at the time the "
                "pack was made.",
            ),
        ),
    )
