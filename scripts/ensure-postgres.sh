#!/usr/bin/env bash
# Make sure the PostgreSQL server the tests use is answering.
# - MASH_DESK_TEST_PG_URL set: that server is the caller's business; nothing to start.
# - otherwise the local server at 127.0.0.1:5432: start a stopped local cluster if one is installed;
#   with --install (what .ci/run passes), install PostgreSQL from Debian's packages if it is absent.
# - either way, the security tests start a private cluster of their own (tests/pgcluster.py) that
#   preloads pgaudit: check that postgresql-<major>-pgaudit is installed for the newest server
#   binaries, and with --install install it if not. That never restarts or reconfigures a server.
# Fails loudly, saying what to do, if no server can be had: the suite never skips PostgreSQL.
set -euo pipefail

install=no
[ "${1:-}" = "--install" ] && install=yes

apt_updated=no
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ "$apt_updated" = no ]; then
        apt-get update -qq
        apt_updated=yes
    fi
    apt-get install -y -qq "$@" >/dev/null
}

# the major version whose binaries tests/pgcluster.py uses: the newest with an initdb
server_major() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { basename "$(dirname "$dir")"; return 0; }
    done
    return 0
}

ensure_pgaudit() {
    local version package
    version=$(server_major)
    # no server binaries (the tests say so themselves), or not Debian: nothing to check here
    [ -n "$version" ] && command -v dpkg >/dev/null || return 0
    package="postgresql-$version-pgaudit"
    dpkg -s "$package" >/dev/null 2>&1 && return 0
    if [ "$install" = yes ]; then
        echo "Installing $package for the security tests' private cluster"
        apt_install --no-install-recommends "$package"
    else
        echo "error: $package is not installed; the security tests' private cluster preloads pgaudit." >&2
        echo "       Install it (apt-get install $package, or scripts/ensure-postgres.sh --install)." >&2
        exit 1
    fi
}

if [ -n "${MASH_DESK_TEST_PG_URL:-}" ]; then
    echo "PostgreSQL for tests: ${MASH_DESK_TEST_PG_URL%%@*}@… (from MASH_DESK_TEST_PG_URL)"
    ensure_pgaudit
    exit 0
fi

answering() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null && answering; then
    echo "PostgreSQL for tests: 127.0.0.1:5432 is answering"
    ensure_pgaudit
    exit 0
fi

if ! command -v pg_lsclusters >/dev/null; then
    if [ "$install" = yes ]; then
        echo "PostgreSQL is not installed: installing it from Debian's packages"
        apt_install postgresql
    else
        echo "error: no PostgreSQL server at 127.0.0.1:5432 and none installed." >&2
        echo "       Install PostgreSQL (apt-get install postgresql), or set MASH_DESK_TEST_PG_URL" >&2
        echo "       to a server where the user may create databases and roles, then run again." >&2
        exit 1
    fi
fi

ensure_pgaudit

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
