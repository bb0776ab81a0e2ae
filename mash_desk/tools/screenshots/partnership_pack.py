"""The Partnership area's Supervision and Quarterly pack pages for ``mash-desk screenshots`` (issue 14),
and the first page of the pack itself (the last whole quarter of the demo)."""

from __future__ import annotations

from datetime import timedelta

from mash_desk.domain.periods import london_date, quarter_name, quarter_of
from mash_desk.services.context import ServiceContext
from mash_desk.services.pack import build_pack
from mash_desk.tools.screenshots.person import first_page
from mash_desk.tools.screenshots.shooter import Shooter


def shoot_supervision_and_pack(shooter: Shooter, *, full: bool) -> None:
    """Maria's Supervision page (the form, who is overdue, month by month), the pack page, the pack."""
    window = shooter.window("maria")
    area = window.partnership_area
    if area is None:
        raise RuntimeError("a team manager's window has no Partnership area to show")
    area.show_page("supervision")
    shooter.save(window, "85-partnership-supervision")
    area.show_page("pack")
    shooter.save(window, "86-partnership-quarterly-pack")
    window.close()
    if not full:
        return
    ctx = ServiceContext(shooter.db, "maria")
    last_whole = quarter_of(quarter_of(london_date(ctx.now())).first - timedelta(days=1))
    pack = build_pack(ctx, quarter_name(last_whole))
    shooter.save_pixmap(first_page(pack.pdf), "87-quarterly-pack-pdf")
