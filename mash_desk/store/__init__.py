"""The database: models, engine and sessions, migrations, and PostgreSQL's own rules.

The case audit's tables live in their own module beside ``models`` (for length); importing it here, with
the package, puts them on ``models.Base.metadata`` whichever module of the store is imported first, so
the metadata the migrations, loaders and tests read is always whole.
"""

from mash_desk.store import case_audit_models as _case_audit_models  # noqa: F401
