"""The risk tools the MASH records: DASH (domestic abuse) and Graded Care Profile 2 (neglect).

Scores and outcomes only; the licensed GCP2 form text is never stored. A MARAC referral reuses
the DASH answers as recorded rather than asking anyone to type them again, and never moves the
contact: the children's own safeguarding route carries on in the MASH queue.

A GCP2 is reviewed by the next GCP2 for the same child; until that is recorded, a GCP2 whose
review date has passed is overdue (``domain.risk.gcp_review_overdue``).
"""

from mash_desk.services.risk_tools.dash import DashRecord, contact_dashes, dash_for_marac, record_dash
from mash_desk.services.risk_tools.gcp import (
    GcpHistory,
    GcpReviewDue,
    GcpRow,
    gcp_history,
    overdue_gcp_reviews,
    record_gcp,
)
from mash_desk.services.risk_tools.marac import MaracReferral, make_marac_referral
from mash_desk.services.risk_tools.summary import RiskToolSummary, risk_tool_summary

__all__ = [
    "DashRecord",
    "GcpHistory",
    "GcpReviewDue",
    "GcpRow",
    "MaracReferral",
    "RiskToolSummary",
    "contact_dashes",
    "dash_for_marac",
    "gcp_history",
    "make_marac_referral",
    "overdue_gcp_reviews",
    "record_dash",
    "record_gcp",
    "risk_tool_summary",
]
