# ruff: noqa: S608 - this module writes SQL from its callers' table and column names only
"""The restriction rule as SQL, one place: a row on a restricted contact or person is hidden from everyone the
rule does not clear. The row-level policies use it, and so does every ``SECURITY DEFINER`` function that reads
such rows for a login: a function runs as the owner, past the policies, so it must ask the rule itself."""

from __future__ import annotations


def not_hidden(table: str, column: str, kind: str = "contact") -> str:
    """``table.column`` (a contact's id, or a person's with ``kind="person"``) is not restricted from this login."""
    # a probe into the (small) restrictions table per row: the rule's function runs only where a
    # restriction exists, so an unrestricted hub pays an index look-up and nothing more
    key = "contact_id" if kind == "contact" else "person_id"
    return (
        f"NOT EXISTS (SELECT 1 FROM record_restriction rr WHERE rr.{key} = {table}.{column} AND rr.lifted_at IS NULL "
        "AND NOT mash_desk_cleared(rr.id, rr.restricted_by_id, rr.contact_id))"
    )
