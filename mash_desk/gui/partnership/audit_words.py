"""The case audit's codes in words for the window (never "requires_improvement" or "by_outcome")."""

from __future__ import annotations

from mash_desk.domain.audits import Answer, AuditGrade, AuditTheme, Sampling
from mash_desk.gui.words import tr

THEME_WORDS: dict[AuditTheme, str] = {
    AuditTheme.NEGLECT: "Neglect",
    AuditTheme.DOMESTIC_ABUSE: "Domestic abuse",
    AuditTheme.INTERPRETERS: "Interpreters",
    AuditTheme.HOUSING: "Housing",
    AuditTheme.OPEN: "Open (any case)",
}
SAMPLING_WORDS: dict[Sampling, str] = {
    Sampling.RANDOM: "At random",
    Sampling.BY_OUTCOME: "Stratified by outcome",
    Sampling.BY_SOURCE: "Stratified by referral source",
    Sampling.HAND_PICKED: "Hand-picked",
}
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


def theme_words(theme: AuditTheme) -> str:
    return tr(THEME_WORDS[theme])


def sampling_words(sampling: Sampling) -> str:
    return tr(SAMPLING_WORDS[sampling])


def grade_words(grade: AuditGrade | None) -> str:
    return tr(GRADE_WORDS[grade]) if grade is not None else tr("not graded yet")


def answer_words(answer: Answer) -> str:
    return tr(ANSWER_WORDS[answer])
