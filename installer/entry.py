"""The frozen bundle's entry point: exactly ``mash-desk`` (``mash_desk.launch.main``).

Frozen, the program is its own Python: a worker process (the letter batch renders in worker
processes, a large demo writes from one) is this same executable started with multiprocessing's
arguments. ``multiprocessing.freeze_support()`` must therefore run first, before the command line is
read or Qt is imported: in a worker it runs the work and exits; in the program it does nothing. (Not
frozen, ``mash-desk`` is a console script on a real Python and workers start that Python.)

The bundle lives in a read-only, root-owned folder, so nothing may write ``__pycache__`` into it
(Alembic loads the migration scripts from disk as ``.py`` files); a stray cache would also be left
behind by an uninstall. Worker processes start here too, so that switch comes before anything else.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True

if getattr(sys, "frozen", False):
    import multiprocessing

    multiprocessing.freeze_support()

from mash_desk.launch import main  # noqa: E402 - after the bytecode switch and freeze_support on purpose

if __name__ == "__main__":
    sys.exit(main())
