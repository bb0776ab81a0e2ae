#!/usr/bin/env bash
# Build the Linux package from the frozen one-folder bundle:
#   build/installer/dist/mash-desk/  ->  build/installer/mash-desk_<version>_<arch>.deb
#
# Installs: /opt/mash-desk/ (the bundle), /usr/bin/mash-desk (launcher), the desktop entry and icon,
# /etc/mash-desk/profiles.toml.example (a conffile; IT's real profiles.toml is never in the package,
# so no upgrade can overwrite it). Depends are worked out from the bundle (installer/bundle_elf.py depends).
#
# Environment (all optional):
#   BUNDLE           the frozen folder            (default build/installer/dist/mash-desk)
#   OUT_DIR          where the .deb goes          (default build/installer)
#   PYTHON           a Python 3.11+               (default .venv/bin/python, else python3)
#   DEB_COMPRESSION  xz | zstd | gzip | none      (default xz; the smoke test uses gzip for speed)
#   DEB_MAINTAINER   the Maintainer field         (default "MASH Desk team <dev@mash-desk.invalid>")
#   LINTIAN=1        run lintian on the result if it is installed
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUNDLE=${BUNDLE:-$ROOT/build/installer/dist/mash-desk}
OUT_DIR=${OUT_DIR:-$ROOT/build/installer}
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON=$ROOT/.venv/bin/python; else PYTHON=python3; fi
fi
COMPRESSION=${DEB_COMPRESSION:-xz}
MAINTAINER=${DEB_MAINTAINER:-MASH Desk team <dev@mash-desk.invalid>}

die() { echo "build_deb.sh: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb is needed (Debian/Ubuntu: it is part of dpkg)"
[ -x "$BUNDLE/mash-desk" ] || die "no frozen bundle at $BUNDLE: run installer/build.sh first"

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
PACKAGE=mash-desk_${VERSION}_${ARCH}
STAGE=$OUT_DIR/deb/$PACKAGE
DEB=$OUT_DIR/$PACKAGE.deb

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/mash-desk" "$STAGE/usr/share/man/man1" \
    "$STAGE/usr/share/lintian/overrides" "$STAGE/etc/mash-desk"

# the bundle: directories 0755, files 0644, the one executable 0755 (shared objects need no x bit)
cp -R "$BUNDLE" "$STAGE/opt/mash-desk"
find "$STAGE/opt/mash-desk" -name __pycache__ -prune -exec rm -rf {} +
find "$STAGE/opt/mash-desk" -type d -exec chmod 0755 {} +
find "$STAGE/opt/mash-desk" -type f -exec chmod 0644 {} +
chmod 0755 "$STAGE/opt/mash-desk/mash-desk"

install -m 0755 installer/debian/mash-desk.sh "$STAGE/usr/bin/mash-desk"
install -m 0644 installer/debian/mash-desk.desktop "$STAGE/usr/share/applications/mash-desk.desktop"
install -m 0644 resources/icons/mash-desk.png "$STAGE/usr/share/icons/hicolor/256x256/apps/mash-desk.png"
install -m 0644 installer/profiles.toml.example "$STAGE/etc/mash-desk/profiles.toml.example"
install -m 0644 installer/debian/copyright "$STAGE/usr/share/doc/mash-desk/copyright"
install -m 0644 installer/README.md "$STAGE/usr/share/doc/mash-desk/README.md"
gzip -9n <installer/debian/mash-desk.1 >"$STAGE/usr/share/man/man1/mash-desk.1.gz"
chmod 0644 "$STAGE/usr/share/man/man1/mash-desk.1.gz"
install -m 0644 installer/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/mash-desk"
# a Debian changelog entry for this version, dated by SOURCE_DATE_EPOCH when set (reproducible builds)
{
    echo "mash-desk ($VERSION) unstable; urgency=medium"
    echo
    echo "  * MASH Desk $VERSION."
    echo
    echo " -- $MAINTAINER  $(date -R -u ${SOURCE_DATE_EPOCH:+-d @$SOURCE_DATE_EPOCH})"
} | gzip -9n >"$STAGE/usr/share/doc/mash-desk/changelog.gz"
chmod 0644 "$STAGE/usr/share/doc/mash-desk/changelog.gz"

DEPENDS=$("$PYTHON" installer/bundle_elf.py depends "$BUNDLE")
INSTALLED_SIZE=$(du -sk --apparent-size --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" -e "s|@MAINTAINER@|$MAINTAINER|" \
    -e "s|@INSTALLED_SIZE@|$INSTALLED_SIZE|" -e "s|@DEPENDS@|$DEPENDS|" \
    installer/debian/control.in >"$STAGE/DEBIAN/control"
echo "/etc/mash-desk/profiles.toml.example" >"$STAGE/DEBIAN/conffiles"
install -m 0755 installer/debian/postinst "$STAGE/DEBIAN/postinst"
install -m 0755 installer/debian/postrm "$STAGE/DEBIAN/postrm"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/conffiles"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' |
    LC_ALL=C sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >/dev/null
rm -rf "$OUT_DIR/deb"
echo "built $DEB ($(du -h "$DEB" | cut -f1), installs $((INSTALLED_SIZE / 1024)) MiB)"

if [ "${LINTIAN:-0}" = 1 ]; then
    if command -v lintian >/dev/null; then
        lintian --fail-on error "$DEB"
    else
        echo "build_deb.sh: lintian is not installed; skipped (apt-get install lintian)" >&2
    fi
fi
