"""Read units on a Core connection (``ServiceContext.read``) and statements built once with bound values.

A queue page is read without an ORM session, from statements built once per queue; who is working is
still found out in every unit, never remembered: an account switched off, or moved to another job,
is refused or served as its new self on its very next read, through the same context and pooled
connection.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mash_desk.domain.enums import ContactStatus, Rag, Role
from mash_desk.domain.errors import PermissionRefused, UnknownUser
from mash_desk.services import admin, intake, screening
from mash_desk.services.context import ServiceContext
from mash_desk.services.queues import Queue, queue_page, queue_query
from mash_desk.store.models import Contact
from mash_desk.store.types import CodeEnum
from tests.support import World, case_at, child, contact_draft


def _log(world: World, family: str, hours_ago: float) -> int:
    draft = contact_draft(world.clock, child("Amira", family))
    draft.received_at = world.clock() - timedelta(hours=hours_ago)
    return intake.log_contact(world.bea, draft).id


def _expected(world: World, ctx: ServiceContext, queue: Queue) -> tuple[list[int], int]:
    """The queue as a statement built for this one call (the way a search is built), read in an ORM session."""
    actor = ctx.whoami()
    query = queue_query(actor, queue)
    order = (Contact.decision_due_at, Contact.id) if queue is Queue.DECISIONS else (Contact.rag_due_at, Contact.id)
    with world.db.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ids = list(session.scalars(query.with_only_columns(Contact.id).order_by(*order)))
    return ids, total


def test_statements_built_once_give_each_person_their_own_queue(world: World) -> None:
    for number, family in enumerate(("Hussain", "Kowalski", "Okafor", "Brennan")):
        contact_id = _log(world, family, hours_ago=number + 1)
        screening.rate(world.sam if number % 2 else world.priya, contact_id, Rag.AMBER if number else Rag.RED)
    case_at(world, ContactStatus.AWAITING_AUTHORISATION, child("Zara", "Ahmed"))
    _log(world, "Nowak", hours_ago=5)
    readers = {
        Queue.MINE: (world.sam, world.priya, world.maria),
        Queue.TEAM: (world.sam, world.ava),
        Queue.UNASSIGNED: (world.sam,),
        Queue.DECISIONS: (world.maria,),
    }
    seen_any = False
    # one after another through the same cached statements: no value of one call may stay for the next
    for queue, people in readers.items():
        for ctx in people:
            ids, total = _expected(world, ctx, queue)
            page = queue_page(ctx, queue)
            assert ([row.contact_id for row in page.rows], page.total) == (ids, total), (queue, ctx.login)
            second = queue_page(ctx, queue, offset=1, limit=1)
            assert ([row.contact_id for row in second.rows], second.total) == (ids[1:2], total)
            seen_any = seen_any or bool(ids)
    assert seen_any
    assert queue_page(world.sam, Queue.MINE).total != queue_page(world.priya, Queue.MINE).total


def test_a_read_unit_finds_out_who_is_working_every_time(world: World) -> None:
    maria = world.maria  # one context, one pool: kept across the changes below, as a window keeps it
    queue_page(maria, Queue.DECISIONS)  # a manager's
    admin.set_user_job(
        world.admin, world.logins["maria"], role=Role.PRACTITIONER, team_name=None, agency_code="SOCIAL_CARE"
    )
    with pytest.raises(PermissionRefused):
        queue_page(maria, Queue.DECISIONS)
    assert maria.whoami().role is Role.PRACTITIONER
    admin.set_user_active(world.admin, world.logins["maria"], False, "Left the service")
    with pytest.raises(UnknownUser):
        queue_page(maria, Queue.MINE)
    with pytest.raises(UnknownUser):
        maria.whoami()
    admin.set_user_active(world.admin, world.logins["maria"], True, "Came back")
    assert queue_page(maria, Queue.MINE).offset == 0


def test_stored_codes_read_back_as_members_and_unknown_ones_are_refused() -> None:
    codes = CodeEnum(ContactStatus)
    assert all(codes.process_result_value(status.value, None) is status for status in ContactStatus)  # type: ignore[arg-type]
    assert codes.process_result_value(None, None) is None  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a valid ContactStatus"):
        codes.process_result_value("NOT_A_STATUS", None)  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["postgresql"])
def test_acting_as_a_login_the_role_is_switched_before_the_server_says_who_it_is(
    world: World, session_tag: str
) -> None:
    """A superuser connection acting as a login sends the role switch and the identity read in one message:
    the server still runs the second as the login, so a login outside the hub's staff is refused there."""
    with world.sam.read() as (conn, actor):
        assert (conn.exec_driver_sql("SELECT current_user").scalar(), actor.username) == (world.logins["sam"],) * 2
    outsider = f"outsider_{session_tag}"  # dropped with this run's other roles (tests/conftest.py)
    with world.db.engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{outsider}" LOGIN')
        conn.commit()
    with pytest.raises(UnknownUser, match="not a MASH Desk staff account"):
        ServiceContext(world.db, outsider).whoami()
    admin.set_user_active(world.admin, world.logins["sam"], False, "Left the service")
    with pytest.raises(UnknownUser):  # out of the staff group too: refused by the server, as before
        world.sam.whoami()


@pytest.mark.parametrize("backend", ["sqlite"])  # on PostgreSQL staff never insert into the trail (tests/security)
def test_a_write_unit_on_a_core_connection_keeps_all_or_nothing(world: World) -> None:
    """``Database.writing``: what it wrote is there after it ends, and nothing of it when it fails part-way."""
    from sqlalchemy import insert

    from mash_desk.store.models import AuditEvent

    def trail() -> int:
        with world.db.session() as session:
            return session.scalar(select(func.count()).select_from(AuditEvent)) or 0

    before = trail()
    row = {"at": world.clock(), "actor_id": None, "actor_login": "test", "action": "test.write", "entity": "test"}
    with world.db.writing() as conn:
        conn.execute(insert(AuditEvent), row)
    assert trail() == before + 1

    def write_then_fail() -> None:
        with world.db.writing() as conn:
            conn.execute(insert(AuditEvent), row)
            raise RuntimeError("failed part-way")

    with pytest.raises(RuntimeError, match="part-way"):
        write_then_fail()
    assert trail() == before + 1
