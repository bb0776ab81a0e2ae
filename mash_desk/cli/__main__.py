"""``python -m mash_desk.cli``: the same as the ``mash-desk`` command."""

import sys

from mash_desk.cli import main

sys.exit(main())
