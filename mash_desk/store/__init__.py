"""The database: models, engine and sessions, migrations, and PostgreSQL's own rules.

The partnership's tables (case audits, threshold exercises) live in modules of their own beside
``models`` (for length); importing them here, with the package, puts them on ``models.Base.metadata``
whichever module of the store is imported first, so the metadata the migrations, loaders and tests read
is always whole.
"""

from mash_desk.store import case_audit_models as _case_audit_models  # noqa: F401
from mash_desk.store import exercise_models as _exercise_models  # noqa: F401
