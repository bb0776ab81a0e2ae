"""The frozen bundle's entry point: exactly ``mash-desk`` (``mash_desk.cli.main``).

The bundle lives in a read-only, root-owned folder, so nothing may write ``__pycache__`` into it
(Alembic loads the migration scripts from disk as ``.py`` files); a stray cache would also be left
behind by an uninstall.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True

from mash_desk.cli import main  # noqa: E402 - after the bytecode switch on purpose

if __name__ == "__main__":
    sys.exit(main())
