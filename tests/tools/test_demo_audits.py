"""The demo's case audit: set up with its seed, graded by the social worker and the police, health still
to grade, one action done and one overdue on the dashboard — on both databases."""

from __future__ import annotations

from mash_desk.services import audits
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard import front_door_measures
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from mash_desk.tools.demo.audits import SEED
from tests.tools.test_demo import CONTACTS, NOW


def test_the_demo_has_a_half_graded_audit_with_an_overdue_action(db: Database) -> None:
    generate_demo(db, contacts=CONTACTS, seed=3, now=NOW)
    auditor = ServiceContext(db, "aud", clock=lambda: NOW)
    (row,) = audits.list_audits(auditor)
    assert row.seed == SEED
    assert row.cases >= 1
    assert row.grades_made == 2 * row.cases  # social care and police; health has not graded yet
    assert (row.actions_open, row.actions_overdue) == (1, 1)
    assert audits.redraw_sample(auditor, row.id) == tuple(
        case.contact_id for case in audits.audit_detail(auditor, row.id).cases
    )
    health = ServiceContext(db, "hv_okafor", clock=lambda: NOW)
    assert all(case.my_grade is None for case in audits.my_audit_cases(health))
    maria = ServiceContext(db, "maria", clock=lambda: NOW)
    assert front_door_measures(maria, NOW.date().replace(day=1), NOW.date()).audit_actions_overdue == 1
