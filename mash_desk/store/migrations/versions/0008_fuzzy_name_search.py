"""Search keys for every form of a name: abbreviations, articles, joined and split words.

``domain.names.name_keys`` now also keys each word's other forms (Mohd for Muhammad, one "abd"
form for Abdul-/Abdi-/Abd al-, Tige for Tadhg, a Lithuanian daughter's surname for her father's)
and a name part's words written as one ("Abdul Rahman" → "Abdulrahman", "O Neill" → "ONeill").
People and known-as names already stored get the keys they now lack; no key is removed (a stale
key only ever adds a candidate that ranking then places), and the table keeps its shape.

The keys come from the domain code as it is when this runs: a later change to the key rules
brings its own backfill.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

from mash_desk.domain.names import name_keys

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

_person = sa.table(
    "person", sa.column("id", sa.Integer), sa.column("given_names", sa.String), sa.column("family_name", sa.String)
)
_alias = sa.table(
    "person_alias",
    sa.column("person_id", sa.Integer),
    sa.column("given_names", sa.String),
    sa.column("family_name", sa.String),
)
_key = sa.table("person_name_key", sa.column("person_id", sa.Integer), sa.column("key", sa.String))


def _batches(connection: sa.Connection) -> Iterator[tuple[int, int]]:
    """Person id ranges of at most ``BATCH`` people, so memory stays flat on a large hub."""
    after = 0
    while True:
        ids = connection.execute(
            sa.select(_person.c.id).where(_person.c.id > after).order_by(_person.c.id).limit(BATCH)
        ).scalars()
        chunk = list(ids)
        if not chunk:
            return
        yield chunk[0], chunk[-1]
        after = chunk[-1]


def upgrade() -> None:
    connection = op.get_bind()
    for low, high in _batches(connection):
        wanted: dict[int, set[str]] = {}
        for person_id, given, family in connection.execute(
            sa.select(_person.c.id, _person.c.given_names, _person.c.family_name).where(_person.c.id.between(low, high))
        ):
            wanted[person_id] = set(name_keys(given, family))
        for person_id, given, family in connection.execute(
            sa.select(_alias.c.person_id, _alias.c.given_names, _alias.c.family_name).where(
                _alias.c.person_id.between(low, high)
            )
        ):
            wanted.setdefault(person_id, set()).update(name_keys(given, family))
        for person_id, key in connection.execute(
            sa.select(_key.c.person_id, _key.c.key).where(_key.c.person_id.between(low, high))
        ):
            wanted.get(person_id, set()).discard(key)
        rows = [{"person_id": pid, "key": key} for pid, keys in wanted.items() for key in sorted(keys)]
        if rows:
            connection.execute(sa.insert(_key), rows)
    # the planner's picture of the keys, now half as many again: search looks up hundreds at once
    op.execute("ANALYZE person_name_key")


def downgrade() -> None:
    """Nothing to undo: the added keys are valid under the old rules too (they only find more)."""
