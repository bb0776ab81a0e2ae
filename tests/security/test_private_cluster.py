"""The private cluster is what it claims to be: SCRAM passwords, TLS-only TCP with a verified server
certificate, and pgaudit object auditing into a log the tests can read.

Every login here is a real role with a real password, connecting over TCP exactly as a workstation
would. Refusals are classified by structured facts (the SQLSTATE the server logged for that login,
whether libpq got as far as sending a password or using TLS), never by the text of a message:
libpq reports no SQLSTATE for a refused connection, so psycopg's exception carries none
(psycopg/psycopg#1188) and the server's own log is where the code is read from.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.pgcluster import CertificateAuthority, LogEntry, PrivateCluster

INVALID_PASSWORD = "28P01"
INVALID_AUTHORIZATION = "28000"  # no pg_hba.conf line lets this connection in


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _create_login(cluster: PrivateCluster, *, database: str | None = None) -> tuple[str, str]:
    """A new LOGIN role with a password of its own (and CONNECT on ``database`` if given)."""
    login, password = _name("login"), uuid.uuid4().hex
    with cluster.connect_superuser() as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(login), sql.Literal(password)))
        if database is not None:
            conn.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), sql.Identifier(login))
            )
    return login, password


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        yield engine
    finally:
        engine.dispose()


def _refused(url: str) -> psycopg.OperationalError:
    """Connect to ``url``, which must be refused; returns psycopg's error for inspection."""
    with _engine(url) as engine, pytest.raises(OperationalError) as caught:
        engine.connect().close()
    orig = caught.value.orig
    assert isinstance(orig, psycopg.OperationalError)
    return orig


def _with_query(url: str, **params: str) -> str:
    parsed = make_url(url)
    return parsed.set(query={**parsed.query, **params}).render_as_string(hide_password=False)


def _fatal_for(cluster: PrivateCluster, since: int, login: str) -> list[LogEntry]:
    """The FATAL entries the server logged for ``login`` after log offset ``since``.

    No waiting is needed: the server writes a FATAL to its log before it tells the client.
    """
    return [e for e in cluster.log_entries(since) if e.level == "FATAL" and e.user == login]


# --- (a) SCRAM --------------------------------------------------------------------------------


def test_passwords_are_stored_as_scram(private_cluster: PrivateCluster) -> None:
    login, _ = _create_login(private_cluster)
    with private_cluster.connect_superuser() as conn:
        assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
        rows = conn.execute(
            "SELECT rolname, rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = ANY(%s)",
            [[login, "postgres"]],
        ).fetchall()
    assert sorted(rows) == sorted([(login, True), ("postgres", True)])


def test_tcp_is_only_hostssl_with_scram(private_cluster: PrivateCluster) -> None:
    """pg_hba.conf as the server parsed it: TCP lines are TLS + SCRAM or an outright reject."""
    with private_cluster.connect_superuser() as conn:
        rules = conn.execute(
            "SELECT type, auth_method, error FROM pg_hba_file_rules WHERE type <> 'local' ORDER BY line_number"
        ).fetchall()
    assert rules
    for kind, method, error in rules:
        assert error is None
        assert (kind, method) in {("hostssl", "scram-sha-256"), ("hostnossl", "reject")}, (kind, method)


# --- (b) TLS and passwords --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_right_password_over_verified_tls_connects(private_cluster: PrivateCluster, host: str) -> None:
    login, password = _create_login(private_cluster)
    url = private_cluster.url_for(login, password, "postgres", host=host)
    assert make_url(url).query["sslmode"] == "verify-full"
    with _engine(url) as engine, engine.connect() as conn:
        row = conn.execute(
            text("SELECT current_user, s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()")
        ).one()
    assert row[0] == login
    assert row[1] is True
    assert row[2] in {"TLSv1.2", "TLSv1.3"}


def test_wrong_password_is_refused_with_28P01(private_cluster: PrivateCluster) -> None:
    login, password = _create_login(private_cluster)
    since = private_cluster.log_position()
    error = _refused(private_cluster.url_for(login, password + "x", "postgres"))
    # refused at the password, over TLS: not at the certificate or at pg_hba.conf
    assert error.pgconn is not None
    assert error.pgconn.ssl_in_use
    assert error.pgconn.used_password
    assert [e.sqlstate for e in _fatal_for(private_cluster, since, login)] == [INVALID_PASSWORD]


def test_plain_tcp_is_refused(private_cluster: PrivateCluster) -> None:
    login, password = _create_login(private_cluster)
    since = private_cluster.log_position()
    url = _with_query(private_cluster.url_for(login, password, "postgres"), sslmode="disable")
    error = _refused(url)
    assert error.pgconn is not None
    assert not error.pgconn.ssl_in_use
    assert not error.pgconn.used_password  # turned away before any password was asked for
    assert [e.sqlstate for e in _fatal_for(private_cluster, since, login)] == [INVALID_AUTHORIZATION]


@pytest.mark.parametrize("impostor", ["another CA", "a name not on the certificate"])
def test_verify_full_refuses_a_server_it_cannot_verify(
    private_cluster: PrivateCluster, tmp_path: Path, impostor: str
) -> None:
    login, password = _create_login(private_cluster)
    url = private_cluster.url_for(login, password, "postgres")
    if impostor == "another CA":
        other_ca = CertificateAuthority("Not the hub's CA").write_cert(tmp_path / "other-ca.crt")
        url = _with_query(url, sslrootcert=str(other_ca))
    else:  # connect to the right address while expecting a name the certificate does not carry
        url = make_url(url).set(host="not-the-hub.invalid").render_as_string(hide_password=False)
        url = _with_query(url, hostaddr="127.0.0.1")
    since = private_cluster.log_position()
    error = _refused(url)
    assert error.pgconn is not None
    assert not error.pgconn.used_password  # the password never left the client
    assert _fatal_for(private_cluster, since, login) == []  # the server never got as far as the login


# --- (c) pgaudit ------------------------------------------------------------------------------


def test_pgaudit_is_preloaded_and_installs(private_cluster: PrivateCluster) -> None:
    database = _name("audit_ext")
    private_cluster.create_database(database)
    with private_cluster.connect_superuser(database) as conn:
        libraries = conn.execute("SHOW shared_preload_libraries").fetchone()
        assert libraries is not None
        assert "pgaudit" in [lib.strip() for lib in str(libraries[0]).split(",")]
        conn.execute("CREATE EXTENSION pgaudit")
        assert conn.execute("SELECT extname FROM pg_extension WHERE extname = 'pgaudit'").fetchone() == ("pgaudit",)


def test_object_audit_logs_a_read_by_a_normal_login(private_cluster: PrivateCluster) -> None:
    database = _name("audit_obj")
    private_cluster.create_database(database)
    auditor = _name("auditor")
    login, password = _create_login(private_cluster, database=database)
    with private_cluster.connect_superuser(database) as conn:
        conn.execute("CREATE EXTENSION pgaudit")
        conn.execute("CREATE TABLE public.children (id int PRIMARY KEY, name text)")
        conn.execute("CREATE TABLE public.weather (id int PRIMARY KEY, sky text)")
        conn.execute("INSERT INTO public.children VALUES (1, 'A'), (2, 'B')")
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(auditor)))
        conn.execute(
            sql.SQL("ALTER DATABASE {} SET pgaudit.role = {}").format(sql.Identifier(database), sql.Literal(auditor))
        )
        conn.execute(sql.SQL("GRANT SELECT ON public.children TO {}").format(sql.Identifier(auditor)))
        conn.execute(sql.SQL("GRANT SELECT ON public.children, public.weather TO {}").format(sql.Identifier(login)))

    since = private_cluster.log_position()
    with _engine(private_cluster.url_for(login, password, database)) as engine, engine.connect() as reader:
        assert reader.execute(text("SELECT count(*) FROM public.children")).scalar_one() == 2
        assert reader.execute(text("SELECT count(*) FROM public.weather")).scalar_one() == 0

    def object_audits() -> list[list[str]]:
        return [
            e.message.removeprefix("AUDIT: ").split(",")
            for e in private_cluster.log_entries(since)
            if e.user == login and e.database == database and e.message.startswith("AUDIT: OBJECT,")
        ]

    deadline = time.monotonic() + 5
    while not object_audits() and time.monotonic() < deadline:
        time.sleep(0.05)
    # AUDIT: OBJECT,statement id,substatement id,class,command,object type,object name,statement,...
    audited = [(f[3], f[4], f[5], f[6]) for f in object_audits()]
    assert audited == [("READ", "SELECT", "TABLE", "public.children")]  # weather: not granted to the auditor
