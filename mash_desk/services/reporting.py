"""Reports read from the hub's reporting server when its profile names one (``store.reporting``).

Only for reads that write nothing and decide no write: on a hot standby the rows may be a moment
behind the last save, and a standby refuses writes and row locks. The person is the same login.
"""

from __future__ import annotations

from mash_desk.services.context import ServiceContext
from mash_desk.store.reporting import reports_database


def for_reports(ctx: ServiceContext) -> ServiceContext:
    """``ctx`` — the same person, clock and calendar — on the reporting server, if there is one."""
    db = reports_database(ctx.db)
    if db is ctx.db:
        return ctx
    return ServiceContext(db, ctx.login, clock=ctx.clock, calendar=ctx.calendar)
