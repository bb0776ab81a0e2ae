"""The rule for reading an agency's return is the same in the application and in PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, text

from mash_desk.domain.enums import AgencyKind, Confidentiality, Role
from mash_desk.domain.sharing import may_read_return
from mash_desk.services import admin
from mash_desk.services.context import ServiceContext
from mash_desk.store.models import Agency
from tests.support import World


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_database_and_the_application_agree_on_every_reader_and_marking(world: World) -> None:
    with world.db.session() as session:
        agencies = {
            code: (agency_id, kind)
            for code, agency_id, kind in session.execute(select(Agency.code, Agency.id, Agency.kind))
        }
    checked = 0
    for role, reader_code in itertools.product(Role, ("SOCIAL_CARE", "POLICE", "HEALTH")):
        login = f"reader_{role.value[:5]}_{reader_code[:3].lower()}_{world.logins['sam'].rsplit('_', 1)[-1]}"
        admin.add_user(
            world.db, world.logins["admin"], username=login, display_name=login, role=role, agency_code=reader_code
        )
        reader = ServiceContext(world.db, login, clock=world.clock)
        reader_id, reader_kind = agencies[reader_code]
        for return_code, marking in itertools.product(("SOCIAL_CARE", "POLICE", "HEALTH"), Confidentiality):
            with reader.unit() as (session, _actor):
                database_says = session.execute(
                    text("SELECT mash_desk_may_read_return(:a, :c)"),
                    {"a": agencies[return_code][0], "c": marking.value},
                ).scalar_one()
            application_says = may_read_return(reader_id, reader_kind, role, agencies[return_code][0], marking)
            assert database_says == application_says, (role, reader_code, return_code, marking)
            checked += 1
    assert checked == len(Role) * 3 * 3 * len(Confidentiality)
    assert not may_read_return(1, AgencyKind.SOCIAL_CARE, Role.MANAGER, 2, Confidentiality.RESTRICTED)
