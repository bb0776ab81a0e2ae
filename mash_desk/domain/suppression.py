"""Small numbers in shared figures: counts from 1 to 4 are not shown, so no child can be picked out.

As official statistics do, a count below five (but not zero) is shown as "<5", and a percentage
whose count or base is suppressed is not shown either (it would give the count away). Zero is
shown: nobody can be identified from nobody. The quarterly pack's CSV keeps the exact numbers for
the partnership's analysts and says, figure by figure, what the PDF shows.
"""

from __future__ import annotations

SMALL_NUMBER = 5
SUPPRESSED = "<5"
NOT_SHOWN = "*"


def is_suppressed(count: int | None) -> bool:
    """Whether a count is too small to publish: 1 to 4."""
    return count is not None and 0 < count < SMALL_NUMBER


def shown_count(count: int | None) -> str:
    """A count as the PDF shows it: ``"<5"`` for 1-4, blank for no figure, else with thousands separators."""
    if count is None:
        return ""
    return SUPPRESSED if is_suppressed(count) else f"{count:,}"


def shown_percent(count: int | None, out_of: int | None) -> str:
    """``count`` as a percentage of ``out_of`` (one decimal), ``"*"`` if either is suppressed, blank if none."""
    if count is None or out_of is None:
        return ""
    if out_of == 0:
        return "n/a"
    if is_suppressed(count) or is_suppressed(out_of):
        return NOT_SHOWN
    return f"{100.0 * count / out_of:.1f}%"


def chart_value(count: int) -> int:
    """What a chart may draw for a count: a suppressed count draws as nothing (its label says "<5")."""
    return 0 if is_suppressed(count) else count


def shown_statistic(value: float | None, base: int | None, percent: bool = False) -> str:
    """A figure that is not a count (Fleiss' kappa, a percentage agreement) over ``base`` ratings, as the
    PDF shows it: ``"*"`` if the base is suppressed (a figure from 1 to 4 people's answers could give
    them away), ``"n/a"`` where it is undefined, else a percentage to one decimal or a number to two."""
    if is_suppressed(base):
        return NOT_SHOWN
    if value is None:
        return "n/a"
    return f"{value:.1f}%" if percent else f"{value:.2f}"
