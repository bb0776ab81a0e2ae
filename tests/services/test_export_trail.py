"""Every statutory export leaves a row in the audit trail: who took personal data out, in what file,
and how much of it. A refused export leaves neither a file nor a row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from mash_desk.domain.errors import PermissionRefused
from mash_desk.services.ssd import export_ssd
from mash_desk.services.statutory import export_annex_a, export_cin_census
from mash_desk.store.models import AuditEvent
from tests.exports.scenario import build_returns
from tests.support import World


def _exports(world: World) -> list[tuple[str, str, dict[str, object]]]:
    """(action, login, detail) of each export row, oldest first."""
    with world.db.session() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.actor_login, AuditEvent.detail)
            .where(AuditEvent.entity == "export")
            .order_by(AuditEvent.id)
        )
        return [(action, login, json.loads(detail or "{}")) for action, login, detail in rows]


def test_each_export_is_in_the_trail_with_who_and_how_much(world: World, tmp_path: Path) -> None:
    build_returns(world)
    export_annex_a(world.maria, date(2026, 3, 10), tmp_path / "annex-a.xlsx")
    export_cin_census(world.maria, 2026, "821", tmp_path / "cin.xml")
    export_ssd(world.maria, tmp_path / "ssd")
    events = _exports(world)
    assert [action for action, _login, _detail in events] == ["export.annex_a", "export.cin_census", "export.ssd"]
    assert {login for _action, login, _detail in events} == {world.logins["maria"]}
    annex, census, ssd = (detail for _action, _login, detail in events)
    assert annex["file"] == "annex-a.xlsx"
    assert annex["contacts"] == 4
    assert (annex["referrals"], annex["enquiries"]) == (1, 1)
    assert census == {"file": "cin.xml", "year": 2026, "la_code": "821", "children": 1}
    assert ssd["folder"] == "ssd"


def test_a_refused_export_writes_no_file_and_no_row(world: World, tmp_path: Path) -> None:
    build_returns(world)
    target = tmp_path / "cin.xml"
    with pytest.raises(PermissionRefused):
        export_cin_census(world.sam, 2026, "821", target)
    with pytest.raises(PermissionRefused):
        export_ssd(world.sam, tmp_path / "ssd")
    assert not target.exists()
    assert not (tmp_path / "ssd").exists()
    assert _exports(world) == []
