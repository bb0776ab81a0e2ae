#!/usr/bin/env bash
# Make sure the PostgreSQL server the tests use is answering.
# - MASH_DESK_TEST_PG_URL set: that server is the caller's business; nothing to start.
# - otherwise the local server at 127.0.0.1:5432: start a stopped local cluster if one is installed;
#   with --install (what .ci/run passes), install PostgreSQL from Debian's packages if it is absent.
# Fails loudly, saying what to do, if no server can be had: the suite never skips PostgreSQL.
set -euo pipefail

if [ -n "${MASH_DESK_TEST_PG_URL:-}" ]; then
    echo "PostgreSQL for tests: ${MASH_DESK_TEST_PG_URL%%@*}@… (from MASH_DESK_TEST_PG_URL)"
    exit 0
fi

install=no
[ "${1:-}" = "--install" ] && install=yes

answering() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null && answering; then
    echo "PostgreSQL for tests: 127.0.0.1:5432 is answering"
    exit 0
fi

if ! command -v pg_lsclusters >/dev/null; then
    if [ "$install" = yes ]; then
        echo "PostgreSQL is not installed: installing it from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
    else
        echo "error: no PostgreSQL server at 127.0.0.1:5432 and none installed." >&2
        echo "       Install PostgreSQL (apt-get install postgresql), or set MASH_DESK_TEST_PG_URL" >&2
        echo "       to a server where the user may create databases and roles, then run again." >&2
        exit 1
    fi
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
hba="/etc/postgresql/$version/main/pg_hba.conf"
# the suite connects as postgres over TCP without a password, as on the development machines
if [ -w "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    if [ "$install" = yes ]; then
        sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
fi
echo "Starting the local PostgreSQL $version cluster"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
    answering && { echo "PostgreSQL for tests: 127.0.0.1:5432 is answering"; exit 0; }
    sleep 1
done
echo "error: PostgreSQL did not start at 127.0.0.1:5432; see /var/log/postgresql/postgresql-$version-main.log" >&2
exit 1
