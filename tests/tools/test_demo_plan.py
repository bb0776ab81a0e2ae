"""The demo's plan, in memory: each contact's steps are a route ``domain.lifecycle`` allows and end in the
status planned, and every planned row fills its table's columns, as the models declare them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from mash_desk.domain.enums import ContactStatus, Role
from mash_desk.domain.lifecycle import Action
from mash_desk.domain.timescales import DEFAULT_POLICY
from mash_desk.store.models import SERVER_ASSIGNED, Base
from mash_desk.tools.demo.loading import COLUMNS, ID_TABLES
from mash_desk.tools.demo.planner import Planner
from mash_desk.tools.demo.route import STAGE, STAGE_REACHING, STEP_ACTIONS, ImpossibleRoute, walk
from mash_desk.tools.demo.vocabulary import STAFF, TEAMS

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
S = ContactStatus
P, M, AG, BS = Role.PRACTITIONER, Role.MANAGER, Role.AGENCY, Role.BUSINESS_SUPPORT


def _planner(seed: int) -> Planner:
    agencies = sorted({code for _name, _kind, code in TEAMS} | {m.agency for m in STAFF})
    return Planner(
        rng=random.Random(seed),
        now=NOW,
        backend="sqlite",
        policy=DEFAULT_POLICY,
        users={member.username: index for index, member in enumerate(STAFF, start=1)},
        teams={name: index for index, (name, _kind, _agency) in enumerate(TEAMS, start=1)},
        agencies={code: index for index, code in enumerate(agencies, start=1)},
        base_ids=dict.fromkeys(ID_TABLES, 0),
    )


@pytest.mark.parametrize("seed", [1, 7])
def test_every_planned_contact_follows_the_lifecycle_and_fills_its_columns(seed: int) -> None:
    planner = _planner(seed)
    slots = planner.plan_slots(1500)
    for index, slot in enumerate(slots, start=1):
        planner.contact(slot, index)  # raises ImpossibleRoute for a route the lifecycle refuses
    rows = planner.ledger.rows
    rows["person"] = [planner.person_row(person) for person in planner.town.people]
    for table, planned in rows.items():
        assert planned, table
        assert {len(row) for row in planned} == {len(COLUMNS[table])}, table
    status_at = COLUMNS["contact"].index("status")
    written = Counter(row[status_at] for row in rows["contact"])
    assert written == Counter(slot.status.value for slot in slots)
    assert set(written) == {status.value for status in ContactStatus}


def test_the_columns_are_the_models_less_what_the_database_assigns() -> None:
    for table, columns in COLUMNS.items():
        model = Base.metadata.tables[table].columns
        assert columns == tuple(c.name for c in model if not c.info.get(SERVER_ASSIGNED)), table
    assert "change_stamp" not in COLUMNS["contact"]


def test_how_far_each_status_lies_comes_from_the_lifecycle() -> None:
    assert {
        S.RECEIVED: STAGE["log"],
        S.SCREENED: STAGE["rate"],
        S.AGENCY_CHECKS: STAGE["request"],
        S.AWAITING_AUTHORISATION: STAGE["submit"],
        S.RETURNED: STAGE["mreturn"],
        S.AUTHORISED: STAGE["auth"],
        S.AWAITING_ACCEPTANCE: STAGE["handoff"],
        S.ACCEPTED: STAGE["accept"],
        S.CLOSED: STAGE["close"],
    } == STAGE_REACHING
    assert STEP_ACTIONS["resubmit"] is Action.SUBMIT_FOR_AUTHORISATION


def test_walk_follows_the_lifecycle() -> None:
    usual = [("log", BS), ("rate", P), ("consent", P), ("request", P), ("returns", AG), ("propose", P)]
    assert walk(usual, open_case=False) is S.AGENCY_CHECKS
    returned = [*usual, ("submit", P), ("mreturn", M), ("repropose", P), ("resubmit", P), ("auth", M)]
    assert walk(returned, open_case=False) is S.AUTHORISED
    handed = [*returned, ("handoff", P), ("reject", P), ("handoff2", P), ("accept", AG), ("close", P)]
    assert walk(handed, open_case=False) is S.CLOSED
    open_case = [("log", P), ("rate", P), ("propose", P), ("submit", P), ("auth", M), ("handoff", P)]
    assert walk(open_case, open_case=True) is S.AWAITING_ACCEPTANCE
    assert walk([("log", P), ("consent", P)], open_case=True) is S.RECEIVED


@pytest.mark.parametrize(
    "steps",
    [
        [("rate", P)],  # not logged
        [("log", P), ("auth", M)],  # authorised before it was submitted
        [("log", P), ("rate", P), ("propose", P), ("submit", P), ("auth", P)],  # a practitioner authorising
        [("log", P), ("rate", P), ("request", P), ("returns", BS)],  # business support returning checks
        [("log", P), ("rate", P), ("close", P)],  # closed with no decision
    ],
)
def test_walk_refuses_what_the_services_would(steps: list[tuple[str, Role]]) -> None:
    with pytest.raises(ImpossibleRoute):
        walk(steps, open_case=False)
