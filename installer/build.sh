#!/usr/bin/env bash
# `make installer`: freeze MASH Desk with PyInstaller (one folder), then build the Linux .deb.
#
#   installer/build.sh                 clean freeze + .deb  -> build/installer/mash-desk_<ver>_<arch>.deb
#   installer/build.sh --bundle-only   clean freeze only    -> build/installer/dist/mash-desk/
#
# Works offline (PyInstaller needs no network). If PyInstaller is missing from the Python used
# (default .venv/bin/python), it is installed from the project's `installer` extra first.
# Environment: PYTHON, DEB_COMPRESSION, DEB_MAINTAINER, LINTIAN=1 (see installer/build_deb.sh).
# Windows builds happen on a Windows machine: see installer/README.md and installer/windows/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/build/installer
DIST=$OUT/dist
BUNDLE=$DIST/mash-desk
STAMP=$OUT/bundle.stamp
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON=$ROOT/.venv/bin/python; else PYTHON=python3; fi
fi
export PYTHON

bundle_only=no
case "${1:-}" in
    "") ;;
    --bundle-only) bundle_only=yes ;;
    *) echo "usage: installer/build.sh [--bundle-only]" >&2; exit 2 ;;
esac

die() { echo "build.sh: $*" >&2; exit 1; }
mkdir -p "$OUT"

# one build at a time in this tree (the smoke test holds the lock itself and says so)
if [ -z "${MASH_DESK_INSTALLER_LOCKED:-}" ]; then
    exec 9>"$OUT/.lock"
    flock 9
fi

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
if ! "$PYTHON" -c 'import PyInstaller' 2>/dev/null; then
    echo "build.sh: installing PyInstaller (the project's [installer] extra)"
    "$PYTHON" -m pip install --quiet -e ".[installer]"
fi
# the bundle copies the installed metadata (mash-desk.spec): it must match pyproject.toml
INSTALLED=$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("mash-desk"))' 2>/dev/null || true)
if [ "$INSTALLED" != "$VERSION" ]; then
    echo "build.sh: refreshing mash-desk's installed metadata (${INSTALLED:-none} -> $VERSION)"
    "$PYTHON" -m pip install --quiet --no-deps -e .
fi

started=$(date +%s)
rm -f "$STAMP"
echo "build.sh: freezing MASH Desk $VERSION with PyInstaller (log: build/installer/freeze.log)"
if ! "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$OUT/work" installer/mash-desk.spec >"$OUT/freeze.log" 2>&1; then
    tail -n 40 "$OUT/freeze.log" >&2
    die "PyInstaller failed (whole log: build/installer/freeze.log)"
fi
"$PYTHON" installer/bundle_elf.py tidy "$BUNDLE" 2>>"$OUT/freeze.log"

# the frozen program must at least say what it is, without a screen or a database
said=$("$BUNDLE/mash-desk" --version) || die "the frozen program failed to start"
case "$said" in
    "MASH Desk $VERSION (database schema "*) ;;
    *) die "the frozen program says '$said', expected MASH Desk $VERSION" ;;
esac
# dated when the freeze began: a source edited while it ran makes the next check rebuild
touch -d "@$started" "$STAMP"
echo "build.sh: bundle ready in $(($(date +%s) - started)) s: build/installer/dist/mash-desk ($(du -sh "$BUNDLE" | cut -f1)), $said"

if [ "$bundle_only" = no ]; then
    installer/build_deb.sh
fi
