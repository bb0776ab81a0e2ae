#!/bin/sh
# MASH Desk launcher, installed as /usr/bin/mash-desk. It runs the bundle in /opt/mash-desk, found
# relative to this script's real location, so a package unpacked elsewhere (dpkg-deb -x) runs too.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/mash-desk/mash-desk" "$@"
