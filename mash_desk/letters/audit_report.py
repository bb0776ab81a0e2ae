"""The multi-agency case audit's report to the Safeguarding Children Partnership: grades by agency and
theme, the answers to the question set, the learning in the auditors' own words, and the actions
with their state. On the hub's letterhead, "OFFICIAL – SENSITIVE" on every page.

Plain frozen data in, PDF bytes out. The service decides what may be printed: unless the audit is
marked for internal use, cases are named by their number and contact reference only, and the
children's names are taken out of the auditors' words before they reach here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mash_desk.domain.audits import GRADE_ORDER, Answer, AuditGrade
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.words import counted
from mash_desk.letters.blocks import table
from mash_desk.letters.model import Letterhead
from mash_desk.letters.pages import build
from mash_desk.letters.style import CONTENT_WIDTH, Styles, fonts_for, styles
from mash_desk.letters.templates import LetterWording, load_wording

MARKING = "OFFICIAL – SENSITIVE"
INTERNAL_MARKING = "OFFICIAL – SENSITIVE – FOR INTERNAL USE: NAMES CHILDREN"
GRADE_WORDS: dict[AuditGrade, str] = {
    AuditGrade.OUTSTANDING: "Outstanding",
    AuditGrade.GOOD: "Good",
    AuditGrade.REQUIRES_IMPROVEMENT: "Requires improvement",
    AuditGrade.INADEQUATE: "Inadequate",
}
ANSWER_WORDS: dict[Answer, str] = {
    Answer.YES: "Yes",
    Answer.PARTLY: "Partly",
    Answer.NO: "No",
    Answer.NOT_APPLICABLE: "Not applicable",
}


@dataclass(frozen=True)
class GradeCounts:
    """How many of each grade one row (an agency, a theme) was given."""

    label: str
    counts: tuple[int, ...]  # in GRADE_ORDER


@dataclass(frozen=True)
class QuestionCounts:
    text: str
    counts: tuple[int, ...]  # in Answer order


@dataclass(frozen=True)
class AgencyLine:
    agency: str
    grade: AuditGrade
    finding: str


@dataclass(frozen=True)
class LearningEntry:
    case: str  # "Case 2 (contact MASH-…)", or with the children's names when for internal use
    auditor: str  # "Grace Okafor, Health"
    grade: AuditGrade
    learning: str
    findings: tuple[AgencyLine, ...]


@dataclass(frozen=True)
class ActionLine:
    what: str
    owner: str
    agency: str
    due_on: date
    state: str  # "Done 3 Jun 2026: …", "OVERDUE", "Open"


@dataclass(frozen=True)
class AuditReportData:
    reference: str  # "Case audit 4"
    title: str
    theme: str
    period: str
    sampling: str
    cases: int
    auditors: tuple[str, ...]
    grades_made: int
    grades_expected: int
    by_agency: tuple[GradeCounts, ...]
    by_theme: tuple[GradeCounts, ...]
    questions: tuple[QuestionCounts, ...]
    learning: tuple[LearningEntry, ...]
    actions: tuple[ActionLine, ...]
    internal_use: bool
    produced_by: str
    produced_at: datetime


def _when(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local.day} {local:%b %Y %H:%M}"


def _grade_table(style: Styles, first: str, rows: tuple[GradeCounts, ...]) -> Flowable:
    header = [first, *(GRADE_WORDS[g] for g in GRADE_ORDER), "Graded"]
    body = [[escape(r.label), *(str(n) for n in r.counts), str(sum(r.counts))] for r in rows]
    # "Requires improvement" is the longest heading: its column is the widest
    widths = [24 * mm, 17 * mm, 37 * mm, 23 * mm, 17 * mm]
    return table(style, header, body, [CONTENT_WIDTH - sum(widths), *widths])


def render_audit_report(data: AuditReportData, letterhead: Letterhead, wording: LetterWording | None = None) -> bytes:
    """The report as PDF bytes."""
    words = wording or load_wording(letterhead.templates)
    fonts = fonts_for(data, letterhead, words)
    style = styles(fonts)
    marking = INTERNAL_MARKING if data.internal_use else MARKING
    story: list[Flowable] = [
        Paragraph(escape(marking), style.label),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"Multi-agency case audit: {data.title}"), style.heading),
        Paragraph(
            escape(
                f"Theme: {data.theme}. Cases received {data.period}. {counted(data.cases, 'case')}, "
                f"sampled {data.sampling}. {data.grades_made} of {counted(data.grades_expected, 'grading')} made."
            ),
            style.body,
        ),
        Paragraph(escape("Auditors: " + "; ".join(data.auditors) + "."), style.body),
        Paragraph(
            escape(
                f"For the Safeguarding Children Partnership. Produced by {data.produced_by}, {_when(data.produced_at)}."
            ),
            style.small,
        ),
        Spacer(1, 3 * mm),
        Paragraph("Grades by agency", style.section),
        Paragraph(
            escape("How each agency's part in the sampled cases was graded by the auditors (one grade per auditor)."),
            style.small,
        ),
    ]
    if data.by_agency:
        story.append(_grade_table(style, "Agency", data.by_agency))
    else:
        story.append(Paragraph("No agency has been graded yet.", style.body))
    story += [Paragraph("Grades by theme", style.section), Paragraph("Each case's overall grade.", style.small)]
    story.append(_grade_table(style, "Theme", data.by_theme))
    if data.questions:
        story.append(Paragraph("The question set", style.section))
        story.append(Paragraph(escape("How the auditors answered each question, over every case."), style.small))
        widths = [14 * mm, 17 * mm, 13 * mm, 29 * mm]
        story.append(
            table(
                style,
                ["Question", *ANSWER_WORDS.values()],
                [[escape(q.text), *(str(n) for n in q.counts)] for q in data.questions],
                [CONTENT_WIDTH - sum(widths), *widths],
            )
        )
    story.append(Paragraph("Learning, in the auditors' words", style.section))
    if not data.learning:
        story.append(Paragraph("No case has been graded yet.", style.body))
    for entry in data.learning:
        story.append(
            Paragraph(
                f"<b>{escape(entry.case)}</b> — {escape(entry.auditor)}: {escape(GRADE_WORDS[entry.grade])}",
                style.body,
            )
        )
        story.append(Paragraph(escape(f"“{entry.learning}”"), style.body))
        for line in entry.findings:
            story.append(
                Paragraph(
                    f"{escape(line.agency)} ({escape(GRADE_WORDS[line.grade])}): {escape(line.finding)}", style.small
                )
            )
        story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Actions", style.section))
    if data.actions:
        story.append(
            table(
                style,
                ["Action", "Owner", "Agency", "Due", "State"],
                [
                    [escape(a.what), escape(a.owner), escape(a.agency), f"{a.due_on:%d %b %Y}", escape(a.state)]
                    for a in data.actions
                ],
                [62 * mm, 30 * mm, 28 * mm, 22 * mm, CONTENT_WIDTH - 142 * mm],
            )
        )
    else:
        story.append(Paragraph("No actions have been agreed yet.", style.body))
    story.append(
        Paragraph(
            escape(
                "Audits read records; they never change them. "
                + (
                    "This copy names the children and is for internal use only."
                    if data.internal_use
                    else "Children are not named in this report: cases are identified by their contact reference."
                )
            ),
            style.small,
        )
    )
    return build(
        story,
        letterhead,
        fonts,
        words,
        reference=data.reference,
        marking=marking,
        title=data.title,
        running_title=f"Safeguarding Children Partnership · {data.reference}",
    )
