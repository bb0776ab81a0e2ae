"""How far raters agree: percentage agreement and Fleiss' kappa, over vignettes rated by many people.

Pure functions over counts, no I/O. A *table* has one row per subject (a vignette) and one column per
category (a level of need, or an outcome); each cell counts the raters who put that subject in that
category. Fleiss (1971) assumed every subject rated by the same number of raters; in an exercise some
people skip a vignette, so a subject's own agreement is computed over its own raters, as Fleiss did,
and the chance agreement from every rating given. With equal numbers of raters this is exactly
Fleiss' kappa. Subjects with fewer than two ratings say nothing about agreement and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Table = Sequence[Sequence[int]]


def subject_agreement(counts: Sequence[int]) -> float | None:
    """The share of pairs of this subject's raters who chose the same category (Fleiss' P_i);
    None with fewer than two ratings."""
    if any(count < 0 for count in counts):
        raise ValueError("A count of raters cannot be negative.")
    raters = sum(counts)
    if raters < 2:
        return None
    agreeing_pairs = sum(count * (count - 1) for count in counts)
    return agreeing_pairs / (raters * (raters - 1))


@dataclass(frozen=True)
class Agreement:
    """Observed agreement (P-bar), agreement expected by chance (P-bar-e) and kappa over one table."""

    subjects: int  # subjects with at least two ratings
    ratings: int
    observed: float | None
    expected: float | None
    kappa: float | None  # None when it is undefined: too few ratings, or every rating in one category

    @property
    def percentage(self) -> float | None:
        return None if self.observed is None else 100.0 * self.observed


def fleiss(table: Table) -> Agreement:
    """Fleiss' kappa and the observed pairwise agreement of ``table`` (rows subjects, columns categories)."""
    widths = {len(row) for row in table}
    if len(widths) > 1:
        raise ValueError("Every row must have one count per category.")
    rows = [row for row in table if sum(row) >= 2]
    shares = [subject_agreement(row) for row in rows]
    known = [share for share in shares if share is not None]
    if not known:
        return Agreement(subjects=0, ratings=0, observed=None, expected=None, kappa=None)
    observed = sum(known) / len(known)
    ratings = sum(sum(row) for row in rows)
    width = widths.pop()
    proportions = [sum(row[j] for row in rows) / ratings for j in range(width)]
    expected = sum(p * p for p in proportions)
    kappa = None if expected >= 1.0 else (observed - expected) / (1.0 - expected)
    return Agreement(subjects=len(known), ratings=ratings, observed=observed, expected=expected, kappa=kappa)


def count_table(
    ratings: Iterable[tuple[Hashable, Hashable]], categories: Sequence[Hashable]
) -> tuple[list[Hashable], list[list[int]]]:
    """(subjects in first-seen order, their rows) from ``(subject, category)`` pairs.

    A category outside ``categories`` is a bug in the caller, not a rating to drop quietly.
    """
    index = {category: j for j, category in enumerate(categories)}
    order: list[Hashable] = []
    rows: dict[Hashable, list[int]] = {}
    for subject, category in ratings:
        if category not in index:
            raise ValueError(f"{category!r} is not one of the categories.")
        if subject not in rows:
            rows[subject] = [0] * len(categories)
            order.append(subject)
        rows[subject][index[category]] += 1
    return order, [rows[subject] for subject in order]


def share_matching(ratings: Iterable[Hashable], reference: Hashable) -> float | None:
    """The share of ``ratings`` equal to ``reference`` (the decision actually made); None if there are none."""
    counted = Counter(ratings)
    total = sum(counted.values())
    return None if total == 0 else counted[reference] / total


def mean_difference(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Mean of (rated level − real level): above 0, raters put need higher than the decision did."""
    differences = [rated - real for rated, real in pairs]
    return None if not differences else sum(differences) / len(differences)


def least_agreed(per_subject: Mapping[Hashable, Sequence[int]], limit: int) -> list[Hashable]:
    """The ``limit`` subjects with the lowest pairwise agreement (ties: more ratings first, then order given)."""
    scored = [
        (share, -sum(row), position, subject)
        for position, (subject, row) in enumerate(per_subject.items())
        if (share := subject_agreement(row)) is not None
    ]
    scored.sort(key=lambda item: (item[0], item[1], item[2]))
    return [subject for _share, _n, _position, subject in scored[:limit]]
