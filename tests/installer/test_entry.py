"""The frozen bundle's entry point hands worker processes to multiprocessing before anything else.

The end-to-end proof is the installed program's letter batch (``test_installer.py``); this checks the
order quickly, without a bundle: frozen, ``freeze_support()`` runs before the command line (and Qt)
is imported; not frozen, it is left alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ENTRY = Path(__file__).resolve().parents[2] / "installer" / "entry.py"

PROBE = """
import json, multiprocessing, runpy, sys
seen = []
def freeze_support():
    seen.append({"cli_loaded": "mash_desk.launch" in sys.modules or "mash_desk.cli" in sys.modules,
                 "qt_loaded": "PySide6" in sys.modules,
                 "no_bytecode": sys.dont_write_bytecode})
multiprocessing.freeze_support = freeze_support
if sys.argv[2] == "frozen":
    sys.frozen = True
runpy.run_path(sys.argv[1], run_name="entry")
print(json.dumps({"calls": seen, "main_imported": "mash_desk.launch" in sys.modules}))
"""


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "not-frozen"])
def test_freeze_support_runs_first_and_only_when_frozen(frozen: bool) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ENTRY), "frozen" if frozen else "plain"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["main_imported"]
    if frozen:
        assert report["calls"] == [{"cli_loaded": False, "qt_loaded": False, "no_bytecode": True}]
    else:
        assert report["calls"] == []
