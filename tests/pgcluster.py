"""A private, hub-like PostgreSQL cluster that the test suite starts itself.

The security tests connect as real logins with real passwords, over TLS, to a server configured the
way a hub's server is: SCRAM only, ``hostssl`` only, ``pgaudit`` loaded. They never touch the
machine's own server at 127.0.0.1:5432: :class:`PrivateCluster` runs ``initdb`` into a fresh
temporary folder and starts a postmaster on a free port of its own, with its own throwaway CA.

Layout of the temporary folder (owned by the OS user ``postgres`` when we run as root, because
``initdb`` and ``pg_ctl`` refuse to run as root)::

    <root>/data/        the cluster (server.crt and server.key live here, so pg_basebackup copies them)
    <root>/socket/      the unix socket, reachable only by the owner (local trust for the superuser)
    <root>/ca.crt       the CA that signed the server certificate: clients verify against it
    <root>/server.log   everything the server logs, pgaudit's AUDIT lines included

A hot standby streams from a running cluster: :meth:`PrivateCluster.start_standby` makes a
:class:`StandbyCluster` in a folder of its own, on a port of its own, with ``pg_basebackup -R`` over
the ``hostssl replication`` line (TLS verify-full, SCRAM; the password in a passfile, never on a
command line). Its data folder is a copy, so it serves the same certificate, roles and passwords;
:meth:`StandbyCluster.promote` makes it the primary after :meth:`PrivateCluster.crash` took the
primary away as a power cut would (``pg_ctl stop -m immediate``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import ipaddress
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import psycopg
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from psycopg import sql
from sqlalchemy.engine import URL

SUPERUSER = "postgres"
OS_USER = "postgres"
SERVER_NAMES = ("localhost", "127.0.0.1")
START_TIMEOUT_S = 30
LOG_TAIL_LINES = 40

_HBA = """\
# Written by tests/pgcluster.py: TCP only over TLS with SCRAM; the socket only for the superuser
# (and the socket folder is reachable only by the OS user that owns the cluster).
# TYPE    DATABASE     USER        ADDRESS        METHOD
local     all          {su}                       trust
local     replication  {su}                       trust
hostssl   all          all         127.0.0.1/32   scram-sha-256
hostssl   all          all         ::1/128        scram-sha-256
hostssl   replication  {su}        127.0.0.1/32   scram-sha-256
hostssl   replication  {su}        ::1/128        scram-sha-256
hostnossl all          all         all            reject
hostnossl replication  all         all            reject
"""

_CONF = """
# --- tests/pgcluster.py: a private, hub-like cluster -------------------------------------------
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
shared_preload_libraries = 'pgaudit'
pgaudit.log_catalog = off
logging_collector = off
log_line_prefix = '%m [%p] %e %q%u@%d '
log_connections = off
# ready for a streaming standby (pg_basebackup + promotion)
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
# a throwaway cluster: durability is not the point, start-up speed is
fsync = off
synchronous_commit = off
"""


# log_line_prefix above: time, [pid], SQLSTATE, then user@database for session processes
_LOG_LINE = re.compile(
    r"^\S+ \S+ \S+ \[(?P<pid>\d+)\] (?P<sqlstate>[0-9A-Z]{5}) (?:(?P<user>[^@\s]*)@(?P<database>\S*) )?"
    r"(?P<level>[A-Z]+[0-9]?):  (?P<message>.*)$"
)


@dataclass(frozen=True)
class LogEntry:
    """One line of the server log, split by its prefix: classify by ``sqlstate``, not by ``message``."""

    pid: int
    sqlstate: str
    user: str | None
    database: str | None
    level: str
    message: str


def parse_log(text: str) -> list[LogEntry]:
    """The lines of ``text`` that carry our log_line_prefix (continuation lines are left out)."""
    entries = []
    for line in text.splitlines():
        m = _LOG_LINE.match(line)
        if m:
            entries.append(
                LogEntry(
                    pid=int(m["pid"]),
                    sqlstate=m["sqlstate"],
                    user=m["user"] or None,
                    database=m["database"] or None,
                    level=m["level"],
                    message=m["message"],
                )
            )
    return entries


class ClusterError(RuntimeError):
    """The private cluster could not be set up or started; the message carries the log tail."""


def find_bindir() -> Path:
    """The newest PostgreSQL server binaries: ``pg_config --bindir``, else /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout
            candidates.append(Path(out.strip()))

    def major(path: str) -> int:
        name = Path(path).parent.name
        return int(name) if name.isdigit() else -1

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise ClusterError(
        "No PostgreSQL server binaries (initdb, pg_ctl) found: install the server "
        "(scripts/ensure-postgres.sh --install) and pgaudit (postgresql-<major>-pgaudit)."
    )


def free_port() -> int:
    """A TCP port that nothing listens on at 127.0.0.1 (nor at ::1, where that address exists)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if _port_free(port):
            return port
    raise ClusterError("Could not find a free TCP port on 127.0.0.1.")


def _port_free(port: int) -> bool:
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            # no IPv6 on this machine: nothing can be listening there either
    return True


class CertificateAuthority:
    """A throwaway CA (EC P-256) that can sign server certificates."""

    def __init__(self, common_name: str = "MASH Desk test CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC)
        public = self.key.public_key()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def write_cert(self, path: Path) -> Path:
        path.write_bytes(self.cert_pem())
        return path

    def issue_server(self, names: Sequence[str] = SERVER_NAMES) -> tuple[bytes, bytes]:
        """A server certificate for ``names`` (DNS names or IP addresses in the SAN): (cert PEM, key PEM)."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        alt: list[x509.GeneralName] = []
        for n in names:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(n)))
            except ValueError:
                alt.append(x509.DNSName(n))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return cert.public_bytes(serialization.Encoding.PEM), key_pem


class PrivateCluster:
    """A PostgreSQL cluster of our own: SCRAM, TLS only, pgaudit, on a free port; gone after :meth:`stop`.

    Use as a context manager (``with PrivateCluster() as cluster:``) or call :meth:`start` and
    :meth:`stop` yourself. Nothing is started by the constructor.
    """

    def __init__(self, *, bindir: Path | None = None, parent: Path | None = None) -> None:
        self._bindir = bindir
        self._parent = parent
        self._root: Path | None = None
        self._port: int | None = None
        self._password = secrets.token_urlsafe(24)
        self._ca: CertificateAuthority | None = None
        self._running = False

    # --- what tests use ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise ClusterError("The private cluster has not been started.")
        return self._port

    @property
    def root(self) -> Path:
        if self._root is None:
            raise ClusterError("The private cluster has not been started.")
        return self._root

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def ca_file(self) -> Path:
        return self.root / "ca.crt"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def ca(self) -> CertificateAuthority:
        if self._ca is None:
            raise ClusterError("The private cluster has not been started.")
        return self._ca

    @property
    def superuser_password(self) -> str:
        return self._password

    def url_for(self, login: str, password: str, database: str = "postgres", *, host: str = "localhost") -> str:
        """A SQLAlchemy URL for ``login`` over TLS, verifying the server against this cluster's CA."""
        url = URL.create(
            "postgresql+psycopg",
            username=login,
            password=password,
            host=host,
            port=self.port,
            database=database,
            query={"sslmode": "verify-full", "sslrootcert": str(self.ca_file)},
        )
        return url.render_as_string(hide_password=False)

    def superuser_url(self, database: str = "postgres") -> str:
        return self.url_for(SUPERUSER, self._password, database)

    def conninfo(self, login: str, password: str, database: str = "postgres", **extra: str) -> str:
        """The same connection as :meth:`url_for`, as a libpq conninfo string for psycopg."""
        params: dict[str, str | int] = {
            "host": "localhost",
            "port": self.port,
            "dbname": database,
            "user": login,
            "password": password,
            "sslmode": "verify-full",
            "sslrootcert": str(self.ca_file),
            "connect_timeout": 5,
        }
        params.update(extra)
        return psycopg.conninfo.make_conninfo("", **params)

    def connect_superuser(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit psycopg connection as the superuser, over TLS like everyone else."""
        return psycopg.connect(self.conninfo(SUPERUSER, self._password, database), autocommit=True)

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns the superuser's URL for it."""
        with self.connect_superuser() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.superuser_url(name)

    def log_position(self) -> int:
        """How far the server log goes now: pass it to :meth:`read_log` to see only what follows."""
        try:
            return self.log_file.stat().st_size
        except FileNotFoundError:
            return 0

    def read_log(self, since: int = 0) -> str:
        """The server log (pgaudit's AUDIT lines included), from byte offset ``since``."""
        try:
            with self.log_file.open("rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_entries(self, since: int = 0) -> list[LogEntry]:
        """:meth:`read_log` split into entries, each with the SQLSTATE the server logged."""
        return parse_log(self.read_log(since))

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(self.read_log().splitlines()[-lines:])

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> Self:
        if self._running:
            return self
        try:
            self._bindir = self._bindir or find_bindir()
            self._root = Path(tempfile.mkdtemp(prefix="mash-pg-", dir=self._parent))
            self._prepare()
            self._start_with_free_port()
            self._check_tls_login()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the folder. Safe to call more than once."""
        root, self._root = self._root, None
        if root is None:
            return
        data = root / "data"
        # postmaster.pid, not self._running: a start that timed out may have left a server behind
        if (data / "postmaster.pid").exists() and self._bindir is not None:
            for mode in ("fast", "immediate"):
                done = self._run_as_owner(
                    [self._bin("pg_ctl"), "stop", "-D", str(data), "-m", mode, "-w", "-t", "20"], cwd=root, check=False
                )
                if done.returncode == 0:
                    break
        self._running = False
        shutil.rmtree(root, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._running

    def crash(self) -> None:
        """Take the server away at once, as a power cut would (``pg_ctl stop -m immediate``): no
        checkpoint, every connection dropped mid-sentence. The folder and its log stay until :meth:`stop`."""
        self._run_as_owner(
            [self._bin("pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "20"], cwd=self.root
        )
        self._running = False

    def start_standby(self, *, synchronous: bool = False) -> StandbyCluster:
        """A hot standby of this (running) cluster, streaming before this returns.

        ``synchronous``: this cluster then waits, at every commit, until the standby has applied it
        (``synchronous_standby_names`` and ``synchronous_commit = remote_apply``), so a promoted
        standby has every save any client was told had committed, and reads there see them at once.
        """
        return StandbyCluster(self, synchronous=synchronous).start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- the work ------------------------------------------------------------------------------

    def _bin(self, name: str) -> str:
        assert self._bindir is not None
        return str(self._bindir / name)

    def _owner_ids(self) -> tuple[int, int] | None:
        """(uid, gid) to hand files to, when we are root and must run the server as ``postgres``."""
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(OS_USER)
        except KeyError:
            raise ClusterError(
                f"Running as root, but there is no OS user {OS_USER!r} to run initdb and pg_ctl as."
            ) from None
        return entry.pw_uid, entry.pw_gid

    def _give_to_owner(self, *paths: Path) -> None:
        ids = self._owner_ids()
        if ids is None:
            return
        for path in paths:
            os.chown(path, *ids)

    def _run_as_owner(self, args: Sequence[str], *, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the cluster's OS user (``runuser -u postgres --`` when root)."""
        prefix = ["runuser", "-u", OS_USER, "--"] if self._owner_ids() is not None else []
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C.UTF-8"
        done = subprocess.run(
            [*prefix, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
        )
        if check and done.returncode != 0:
            raise ClusterError(
                f"{Path(args[0]).name} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}\n"
                f"--- server log tail ---\n{self.log_tail()}"
            )
        return done

    def _prepare(self) -> None:
        root = self.root
        self._give_to_owner(root)
        pwfile = root / "pwfile"
        pwfile.write_text(self._password + "\n")
        pwfile.chmod(0o600)
        self._give_to_owner(pwfile)
        self._run_as_owner(
            [
                self._bin("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ],
            cwd=root,
        )
        pwfile.unlink()

        self.socket_dir.mkdir(mode=0o700)
        self._give_to_owner(self.socket_dir)

        self._ca = CertificateAuthority()
        self._ca.write_cert(self.ca_file)
        cert_pem, key_pem = self._ca.issue_server()
        crt, key = self.data_dir / "server.crt", self.data_dir / "server.key"
        crt.write_bytes(cert_pem)
        key.write_bytes(key_pem)
        key.chmod(0o600)
        self._give_to_owner(self.ca_file, crt, key)

        (self.data_dir / "pg_hba.conf").write_text(_HBA.format(su=SUPERUSER))

    def _write_port(self, port: int) -> None:
        conf = self.data_dir / "postgresql.conf"
        base = conf.read_text().split("\n# --- tests/pgcluster.py", 1)[0]
        conf.write_text(base + _CONF.format(port=port, socket_dir=self.socket_dir))
        self._port = port

    def _start_with_free_port(self) -> None:
        for _attempt in range(3):
            port = free_port()
            self._write_port(port)
            try:
                self._start_server(self.data_dir)
            except ClusterError:
                if _port_free(port):  # not a lost race for the port: a real failure
                    raise
                continue
            return
        raise ClusterError("Lost the race for a free port three times.")

    def _start_server(self, data_dir: Path) -> None:
        """``pg_ctl start -w`` on ``data_dir``, logging to :attr:`log_file`; fails with the log tail."""
        self.log_file.touch()
        self._give_to_owner(self.log_file)
        done = self._run_as_owner(
            [
                self._bin("pg_ctl"),
                "start",
                "-D",
                str(data_dir),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
            ],
            cwd=self.root,
            check=False,
        )
        if done.returncode != 0:
            raise ClusterError(
                f"The private PostgreSQL cluster did not start (pg_ctl exit {done.returncode}):\n"
                f"{done.stdout}{done.stderr}\n--- server log tail ({self.log_file}) ---\n{self.log_tail()}"
            )
        self._running = True

    def _check_tls_login(self) -> None:
        """The server is up: prove the superuser gets in over TLS with its password, as clients will."""
        try:
            with self.connect_superuser() as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise ClusterError(
                f"The private cluster started but a TLS/SCRAM login failed: {exc}\n"
                f"--- server log tail ---\n{self.log_tail()}"
            ) from exc


class StandbyCluster(PrivateCluster):
    """A hot standby of a running :class:`PrivateCluster`: ``pg_basebackup -R`` into a folder of its own,
    started on a port of its own, streaming WAL from the primary over TLS (verify-full) with SCRAM.

    The data folder is a copy of the primary's, so the standby has the same roles and passwords and
    serves the same certificate (signed by the same CA, naming localhost and 127.0.0.1). Read-only
    until :meth:`promote`. Make it with :meth:`PrivateCluster.start_standby`.
    """

    def __init__(self, primary: PrivateCluster, *, synchronous: bool = False) -> None:
        super().__init__(bindir=primary._bindir, parent=primary._parent)
        self.primary = primary
        self.synchronous = synchronous
        self.name = f"standby_{secrets.token_hex(4)}"
        """Its ``application_name`` on the primary (``pg_stat_replication``, ``synchronous_standby_names``)."""
        self._password = primary.superuser_password
        self._promoted = False

    @property
    def promoted(self) -> bool:
        return self._promoted

    def start(self) -> Self:
        if self.running:
            return self
        super().start()
        try:
            if self.synchronous:
                self._make_primary_wait_for_me()
            self.wait_streaming()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop and remove the standby; a primary that waited for it at each commit stops waiting first."""
        if self.synchronous and not self._promoted and self.primary.running and self.running:
            with self.primary.connect_superuser() as conn:
                conn.execute("ALTER SYSTEM RESET synchronous_standby_names")
                conn.execute("ALTER SYSTEM RESET synchronous_commit")
                conn.execute("SELECT pg_reload_conf()")
        super().stop()

    def wait_streaming(self, timeout: float = START_TIMEOUT_S) -> None:
        """Until the primary's ``pg_stat_replication`` shows this standby streaming (and, when
        synchronous, as its synchronous standby)."""
        wanted = ("streaming", "sync" if self.synchronous else "async")
        deadline = time.monotonic() + timeout
        with self.primary.connect_superuser() as conn:
            while True:
                row = conn.execute(
                    "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = %s", (self.name,)
                ).fetchone()
                if row is not None and tuple(row) == wanted:
                    return
                if time.monotonic() > deadline:
                    raise ClusterError(
                        f"The standby {self.name} was not {' and '.join(wanted)} after {timeout} s "
                        f"(pg_stat_replication: {row!r}).\n--- standby log tail ---\n{self.log_tail()}\n"
                        f"--- primary log tail ---\n{self.primary.log_tail()}"
                    )
                time.sleep(0.02)

    def wait_caught_up(self, timeout: float = START_TIMEOUT_S) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        with self.primary.connect_superuser() as conn:
            # the insert position, not the write position: with synchronous_commit off the last commit
            # may not be written out yet, and the standby would be read one commit stale
            target = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert target is not None
        deadline = time.monotonic() + timeout
        with self.connect_superuser() as conn:
            while True:
                row = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target[0],)).fetchone()
                if row is not None and row[0]:
                    return
                if time.monotonic() > deadline:
                    raise ClusterError(f"The standby {self.name} had not replayed up to {target[0]} after {timeout} s.")
                time.sleep(0.02)

    def promote(self) -> None:
        """Make the standby the primary (``pg_ctl promote -w``): it takes writes when this returns."""
        self._run_as_owner(
            [self._bin("pg_ctl"), "promote", "-D", str(self.data_dir), "-w", "-t", str(START_TIMEOUT_S)], cwd=self.root
        )
        self._promoted = True

    def in_recovery(self) -> bool:
        """True while a standby, False once promoted (``pg_is_in_recovery()``)."""
        with self.connect_superuser() as conn:
            row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        return bool(row is not None and row[0])

    # --- the work ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """``pg_basebackup -R`` from the primary instead of ``initdb``; the CA and password are the primary's."""
        root = self.root
        self._give_to_owner(root)
        self._ca = self.primary.ca
        self._ca.write_cert(self.ca_file)
        self.socket_dir.mkdir(mode=0o700)
        # the replication password goes in a passfile: never on a command line, and primary_conninfo
        # (written by -R into postgresql.auto.conf) names the file rather than holding the password
        passfile = root / "replication.pgpass"
        passfile.write_text(f"*:*:*:{SUPERUSER}:{self._password}\n")
        passfile.chmod(0o600)
        self._give_to_owner(self.ca_file, self.socket_dir, passfile)
        source = psycopg.conninfo.make_conninfo(
            "",
            host="localhost",
            port=self.primary.port,
            user=SUPERUSER,
            sslmode="verify-full",
            sslrootcert=str(self.ca_file),
            passfile=str(passfile),
            application_name=self.name,
            connect_timeout=5,
        )
        self._run_as_owner(
            [
                self._bin("pg_basebackup"),
                "--pgdata",
                str(self.data_dir),
                "--dbname",
                source,
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
                "--no-password",
            ],
            cwd=root,
        )

    def _make_primary_wait_for_me(self) -> None:
        with self.primary.connect_superuser() as conn:
            conn.execute(
                sql.SQL("ALTER SYSTEM SET synchronous_standby_names = {}").format(sql.Literal(f'"{self.name}"'))
            )
            conn.execute("ALTER SYSTEM SET synchronous_commit = 'remote_apply'")
            conn.execute("SELECT pg_reload_conf()")
