"""An exercise's results as a page of short tables: agreement overall, by agency (and where each sits
against the decision actually made), the vignettes people disagree on most, and every vignette."""

from __future__ import annotations

from html import escape

from mash_desk.domain.agreement import Agreement
from mash_desk.domain.exercises import EXERCISE_STATUS_WORDS, LEVELS
from mash_desk.domain.words import counted
from mash_desk.gui.words import outcome_words, tr
from mash_desk.services.exercises import ExerciseResults
from mash_desk.services.exercises.results import Figures, VignetteFigures

# Landis and Koch's words for kappa, the ones threshold audits usually quote
KAPPA_WORDS = ((0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"), (0.0, "slight"))


def kappa_words(agreement: Agreement) -> str:
    if agreement.kappa is None:
        return tr("not enough ratings")
    words = next((w for floor, w in KAPPA_WORDS if agreement.kappa >= floor), "less than chance")
    return f"{agreement.kappa:.2f} ({tr(words)})"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


def agreement_percent(agreement: Agreement) -> str:
    return "—" if agreement.percentage is None else f"{agreement.percentage:.0f}%"


def leaning(figures: Figures) -> str:
    """Where a group sits against the decision actually made, in words."""
    if figures.mean_difference is None:
        return tr("no ratings yet")
    difference = figures.mean_difference
    if abs(difference) < 0.25:
        side = tr("close to the decision made")
    elif difference > 0:
        side = tr("higher than the decision made")
    else:
        side = tr("lower than the decision made")
    return f"{difference:+.2f} {tr('levels')}: {side}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table cellspacing='0' cellpadding='4' border='1'><tr>{head}</tr>{body}</table>"


def _figures_row(name: str, figures: Figures) -> list[str]:
    return [
        escape(name),
        str(figures.raters),
        str(figures.ratings),
        agreement_percent(figures.level),
        kappa_words(figures.level),
        agreement_percent(figures.outcome),
        percent(figures.matches_level),
        percent(figures.matches_outcome),
        escape(leaning(figures)),
    ]


def _spread(vignette: VignetteFigures) -> str:
    return ", ".join(f"L{level}: {count}" for level, count in zip(LEVELS, vignette.level_counts, strict=True) if count)


def _vignette_row(vignette: VignetteFigures) -> list[str]:
    share = vignette.level_agreement
    return [
        tr("Vignette {n}").format(n=vignette.position),
        str(vignette.ratings),
        escape(_spread(vignette)) or "—",
        percent(share),
        tr("Level {level}, {outcome}").format(level=vignette.real_level, outcome=outcome_words(vignette.real_outcome)),
        percent(vignette.matches_level),
    ]


def results_html(results: ExerciseResults) -> str:
    overall = results.overall
    figure_headers = [
        tr("Who"),
        tr("Raters"),
        tr("Ratings"),
        tr("Agree on level"),
        tr("Fleiss' kappa (level)"),
        tr("Agree on outcome"),
        tr("Level as decided"),
        tr("Outcome as decided"),
        tr("Against the decision made"),
    ]
    vignette_headers = [
        tr("Vignette"),
        tr("Ratings"),
        tr("Levels chosen"),
        tr("Pairs agreeing"),
        tr("Decision actually made"),
        tr("Rated as decided"),
    ]
    parts = [
        f"<h3>{escape(results.title)}</h3>",
        "<p>"
        + tr("{status}. {ratings} by {raters} of {agencies} on {vignettes}.").format(
            status=tr(EXERCISE_STATUS_WORDS[results.status]),
            ratings=counted(overall.ratings, tr("rating"), tr("ratings")),
            raters=counted(overall.raters, tr("person"), tr("people")),
            agencies=counted(len(results.agencies), tr("agency"), tr("agencies")),
            vignettes=counted(len(results.vignettes), tr("vignette"), tr("vignettes")),
        )
        + " "
        + tr(
            "Agreement is the share of pairs of raters who chose the same; Fleiss' kappa corrects it for chance "
            "(1 is perfect, 0 no better than chance)."
        )
        + "</p>",
        f"<h4>{tr('Overall and by agency')}</h4>",
        _table(
            figure_headers,
            [_figures_row(tr("Everyone"), overall)] + [_figures_row(a.agency, a.figures) for a in results.agencies],
        ),
        f"<h4>{tr('Where people disagree most')}</h4>",
        _table(vignette_headers, [_vignette_row(v) for v in results.most_disagreed])
        if results.most_disagreed
        else f"<p>{tr('No vignette has two ratings yet.')}</p>",
        f"<h4>{tr('Every vignette')}</h4>",
        _table(vignette_headers, [_vignette_row(v) for v in results.vignettes]),
    ]
    return "\n".join(parts)
