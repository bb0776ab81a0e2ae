"""The one place the partnership's other assurance work joins the quarterly pack (issue 14).

The case audits (part 1: ``services.audits.summary.audit_summary``, grades by agency and theme,
actions open, overdue and done) and the threshold exercises (part 2:
``services.exercises.summary.exercise_summary``, agreement and Fleiss' kappa) each become one
section of the pack. They are built elsewhere; to add one, write a function with the
:data:`SectionSource` signature that turns that summary into a :class:`PackSection` (tables and
charts numbered with the ``prefix`` it is given, e.g. "A" gives "Table A1"), and list it in
:data:`PARTNER_SECTIONS`. Until a source is listed, the pack's appendix names the section as not
included, so no reader mistakes its absence for "nothing to report"; so it does when the person
making the pack may not see that work (an administrator sees the front-door measures, not the audits).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mash_desk.letters.pack import PackSection
from mash_desk.services.context import ServiceContext
from mash_desk.services.pack.partners import audits_section, exercises_section

SectionSource = Callable[[ServiceContext, date, date, str], PackSection]
"""(ctx, first day, last day, numbering prefix) -> the section, for the quarter's London dates."""

# (title the appendix uses while the source is missing, the source or None)
PARTNER_SECTIONS: tuple[tuple[str, SectionSource | None], ...] = (
    ("Multi-agency case audits: grades by agency and theme, and actions", audits_section),
    ("Threshold consistency exercises: agreement and Fleiss' kappa", exercises_section),
)
