"""Tables, sessions, migrations and the database's own rules.

The partnership's tables live in modules of their own beside ``models``; importing them here puts them
on ``models.Base.metadata`` whichever module of the store is imported first.
"""

from mash_desk.store import exercise_models as _exercise_models  # noqa: F401
