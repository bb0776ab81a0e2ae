"""The dashboard's risk tools card: DASH by level, MARAC, GCP2 in the period, and the GCP2 reviews
overdue now, each the number ``services.risk_tools.risk_tool_summary`` gives."""

from __future__ import annotations

from datetime import timedelta

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.periods import london_date, london_midnight
from mash_desk.gui.manager.dashboard_page import DashboardPage
from mash_desk.services import admin, risk_tools
from tests.gui.manager.conftest import Bench
from tests.gui.manager.test_dashboard import values
from tests.support import case_at, gcp_review


def test_the_risk_tools_card_counts_dash_marac_and_overdue_gcp2_reviews(bench: Bench) -> None:
    world = bench.world
    case = case_at(world, ContactStatus.SCREENED)
    risk_tools.record_dash(world.sam, case.id, [True] * 15 + [False] * 9)
    risk_tools.record_dash(world.sam, case.id, [True] * 4 + [False] * 20)
    admin.set_user_gcp_licensed(world.admin, world.logins["sam"], True)
    grades = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
    risk_tools.record_gcp(
        world.sam, case.id, case.child_ids[0], grades, carer_consent=True, **gcp_review(world, weeks=1)
    )
    world.clock.advance(days=8)  # still in March; the review date has passed
    assert london_date(world.clock()).month == 3
    page = DashboardPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    page.load()
    bench.settle()
    shown = {str(row[0]).strip(): row[1] for row in values(page.risk_tools)}
    assert shown["DASH checklists recorded"] == 2
    assert shown["high risk (14+ yes, or professional judgement)"] == 1
    assert shown["standard risk (0–9 yes)"] == 1
    assert shown["MARAC referrals made"] == 0
    assert shown["⚠ High-risk DASH with no MARAC referral yet"] == 1
    assert shown["Graded Care Profile 2 assessments"] == 1
    assert shown["⚠ GCP2 reviews OVERDUE now"] == 1
    summary = page.risk
    assert summary is not None
    assert summary.oldest_overdue[0].days_overdue == 1
    first, last = page.period()
    expected = risk_tools.risk_tool_summary(
        world.maria, since=london_midnight(first), until=london_midnight(last + timedelta(days=1))
    )
    assert (summary.dash_total, summary.marac_referrals, summary.gcp_reviews_overdue) == (
        expected.dash_total,
        expected.marac_referrals,
        expected.gcp_reviews_overdue,
    )
