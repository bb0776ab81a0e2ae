"""The settings an administrator changes from the window: the idle lock, the dashboard's targets and the
letterhead. Each is checked (bad input names the field and changes nothing), admin-only, and audited;
and the idle lock's password check tells a wrong password from everything else."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import psycopg
import pytest
from psycopg.errors import FinishedPGconn
from pypdf import PdfReader
from sqlalchemy import select

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.services import policy
from mash_desk.services.dashboard import front_door_measures
from mash_desk.services.letters import load_letterhead, preview_letterhead
from mash_desk.services.manager import measure_tiles
from mash_desk.services.policy import LetterheadFields
from mash_desk.services.reauthentication import verify_password
from mash_desk.services.statutory import cin_census
from mash_desk.services.workstation import workstation_settings
from mash_desk.store.database import password_refused
from mash_desk.store.models import AuditEvent
from tests.support import World, case_at, child, unchanged

GOOD_HEAD = LetterheadFields(
    organisation="Bedfordshire Children's MASH",
    address_lines=("Borough Hall", "Cauldwell Street", "Bedford", "MK42 9AP"),
    phone="01234 567890",
    out_of_hours_phone="0300 300 8123",
    email="MASH@Bedford.GOV.UK",
)


def audit_details(world: World, action: str) -> list[dict[str, object]]:
    with world.db.session() as session:
        return [
            json.loads(d or "{}") for d in session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        ]


def test_idle_lock_minutes_default_to_15_and_an_administrator_changes_them(world: World) -> None:
    assert policy.idle_lock_minutes(world.sam) == 15
    assert workstation_settings(world.sam).idle_lock_minutes == 15
    assert policy.set_idle_lock_minutes(world.admin, 5) == 5
    assert workstation_settings(world.sam).idle_lock_minutes == 5
    assert audit_details(world, "setting.set") == [{"key": "idle_lock_minutes", "before": "15", "after": "5"}]


@pytest.mark.parametrize("minutes", [0, 31, -5, 2.5, "ten", True])
def test_idle_lock_minutes_out_of_range_are_refused_at_the_field(world: World, minutes: object) -> None:
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        policy.set_idle_lock_minutes(world.admin, minutes)  # type: ignore[arg-type]
    assert set(refused.value.field_errors) == {"idle_lock_minutes"}


def test_only_an_administrator_changes_settings(world: World) -> None:
    with unchanged(world.db):
        for call in (
            lambda: policy.set_idle_lock_minutes(world.maria, 5),
            lambda: policy.set_dashboard_targets(world.maria, {"nfa": 10}),
            lambda: policy.set_letterhead(world.maria, GOOD_HEAD),
            lambda: preview_letterhead(world.sam, GOOD_HEAD),
        ):
            with pytest.raises(PermissionRefused):
                call()


def test_dashboard_targets_come_from_the_setting(world: World) -> None:
    measures = front_door_measures(world.maria, date(2026, 3, 1), date(2026, 3, 31))
    assert measures.targets == policy.DEFAULT_DASHBOARD_TARGETS
    updated = policy.set_dashboard_targets(world.admin, {"decided_within_one_working_day": 80, "nfa": 35.25})
    assert updated["decided_within_one_working_day"] == 80.0
    assert updated["nfa"] == 35.2
    assert updated["re_referrals"] == 22.0  # the others kept
    tiles = {t.key: t for t in measure_tiles(front_door_measures(world.maria, date(2026, 3, 1), date(2026, 3, 31)))}
    assert tiles["decided_within_one_working_day"].target == 80.0
    assert tiles["nfa"].target == 35.2
    assert not tiles["nfa"].higher_is_better
    policy.set_dashboard_targets(world.admin, {"re_referrals": None})
    assert policy.dashboard_targets(world.sam)["re_referrals"] is None
    assert [d["key"] for d in audit_details(world, "setting.set")] == ["dashboard_targets"] * 2


def test_bad_dashboard_targets_name_each_field_and_change_nothing(world: World) -> None:
    with unchanged(world.db), pytest.raises(InvalidInput) as refused:
        policy.set_dashboard_targets(
            world.admin,
            {"decided_within_one_working_day": 101, "nfa": "lots", "made_up": 5, "completed_within_rag": 50},
        )
    assert set(refused.value.field_errors) == {
        "targets.decided_within_one_working_day",
        "targets.nfa",
        "targets.made_up",
    }


def test_the_letterhead_is_read_edited_and_prints_as_saved(world: World) -> None:
    before = policy.read_letterhead(world.admin)
    assert before.organisation == "Multi-Agency Safeguarding Hub"
    assert before.address_lines[-1] == "LU1 2BQ"
    saved = policy.set_letterhead(world.admin, replace(GOOD_HEAD, address_lines=(*GOOD_HEAD.address_lines, "  ")))
    assert saved.email == "MASH@bedford.gov.uk"
    assert saved.address_lines == GOOD_HEAD.address_lines
    assert policy.read_letterhead(world.sam) == saved
    with world.db.session() as session:
        head = load_letterhead(session)
    assert head.organisation == GOOD_HEAD.organisation
    # what the form does not edit is kept
    assert head.logo is not None
    assert head.font_regular is not None
    [detail] = audit_details(world, "setting.set")
    assert detail["key"] == "letterhead"


def test_a_bad_letterhead_names_each_field_and_changes_nothing(world: World) -> None:
    bad = LetterheadFields(
        organisation=" ",
        address_lines=(),
        phone="12",
        out_of_hours_phone="call us",
        email="mash at bedford",
    )
    with unchanged(world.db):
        for call in (lambda: policy.set_letterhead(world.admin, bad), lambda: preview_letterhead(world.admin, bad)):
            with pytest.raises(InvalidInput) as refused:
                call()
            assert set(refused.value.field_errors) == {
                "organisation",
                "address",
                "phone",
                "out_of_hours_phone",
                "email",
            }
        with pytest.raises(InvalidInput) as too_long:
            policy.set_letterhead(world.admin, replace(GOOD_HEAD, address_lines=tuple(f"line {n}" for n in range(7))))
        assert set(too_long.value.field_errors) == {"address"}


def test_the_letterhead_preview_is_a_sample_letter_on_the_new_letterhead(world: World) -> None:
    with unchanged(world.db, "a preview"):
        pdf = preview_letterhead(world.admin, GOOD_HEAD)
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bedfordshire Children's MASH" in text
    assert "MK42 9AP" in text
    assert "Sample" in text


# --- re-authentication at the idle lock -----------------------------------------------------------


class _Refused(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("refused")
        self.sqlstate = sqlstate


def test_a_wrong_password_is_known_by_its_sqlstate() -> None:
    assert password_refused(_Refused("28P01"))
    assert not password_refused(_Refused("28000"))  # e.g. a login that may no longer log in
    assert not password_refused(_Refused("53300"))  # too many connections
    assert not password_refused(None)


def test_without_a_sqlstate_a_wrong_password_is_a_refusal_after_the_server_asked_for_it() -> None:
    # psycopg reports no SQLSTATE for a failure while connecting (psycopg/psycopg#1188)
    asked = psycopg.OperationalError("connection failed", pgconn=FinishedPGconn(used_password=True))
    unreachable = psycopg.OperationalError("connection failed", pgconn=FinishedPGconn(used_password=False))
    assert asked.sqlstate is None
    assert password_refused(asked)
    assert not password_refused(unreachable)
    assert not password_refused(psycopg.OperationalError("connection refused"))


def test_verify_password_on_each_database(world: World, backend: str) -> None:
    if backend == "sqlite":
        with pytest.raises(InvalidInput) as refused:
            verify_password(world.sam, "anything")
        assert "no passwords" in refused.value.field_errors["password"]
        return
    with pytest.raises(InvalidInput) as empty:
        verify_password(world.sam, "")
    assert set(empty.value.field_errors) == {"password"}
    # the suite's own server trusts local connections: it lets the login in without asking
    verify_password(world.sam, "whatever the server does not ask for")


def test_the_hubs_la_code_is_set_by_an_administrator_and_used_by_the_census(world: World) -> None:
    case_at(world, ContactStatus.AUTHORISED, child("Amira", "Hussain"))  # a referral to return
    assert policy.hub_la_code(world.maria) is None
    with unchanged(world.db), pytest.raises(InvalidInput) as no_code:
        cin_census(world.maria, 2026)  # nothing given, nothing set: said at the LA code's field
    assert set(no_code.value.field_errors) == {"la"}
    for bad in ("82", "8210", "LUT", " "):
        with unchanged(world.db), pytest.raises(InvalidInput) as refused:
            policy.set_la_code(world.admin, bad)
        assert set(refused.value.field_errors) == {"la"}
    with unchanged(world.db), pytest.raises(PermissionRefused):
        policy.set_la_code(world.maria, "821")
    assert policy.set_la_code(world.admin, " 821 ") == "821"
    assert policy.hub_la_code(world.maria) == "821"
    assert cin_census(world.maria, 2026).la_code == "821"
    assert cin_census(world.maria, 2026, "822").la_code == "822"  # a code given still wins
    assert audit_details(world, "setting.set") == [{"key": "la_code", "before": "", "after": "821"}]
