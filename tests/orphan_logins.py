"""The demo's logins, dropped from a server once nothing uses them.

A login role belongs to the server, not to one database: the demo's people (``sam``, ``maria`` ...) stay
behind when a test run drops the database it built the demo in, on the machine's own server. At the end
of a run, a demo login MASH Desk made (its comment says so) that is in no group, has no setting in any
database and owns or is granted nothing is left over from a hub that is gone, and is dropped. A login
another run is still using is in that run's groups, so it stays; so does any role MASH Desk did not make.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from mash_desk.store.pg_security.admin_functions import MADE_BY_MASH_DESK

_ORPHANS = text(
    """
    SELECT r.rolname FROM pg_roles r
     WHERE r.rolname = ANY(:names) AND r.rolcanlogin
       AND shobj_description(r.oid, 'pg_authid') = :made_by
       AND NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_db_role_setting s WHERE s.setrole = r.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_shdepend d
                        WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid)
     ORDER BY r.rolname
    """
)


def drop_orphaned_logins(conn: Connection, names: list[str]) -> list[str]:
    """Drop those of ``names`` that are orphaned MASH Desk logins (``conn`` in autocommit); say which went."""
    dropped = []
    for name in conn.execute(_ORPHANS, {"names": names, "made_by": MADE_BY_MASH_DESK}).scalars():
        try:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        except DBAPIError:
            continue  # taken up by another run between the look and the drop: it is theirs now
        dropped.append(name)
    return dropped
