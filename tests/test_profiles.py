"""Connection profiles with several servers and a reporting server: what is accepted, what is refused
(each at its field, in words), and what reaches libpq."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from mash_desk.domain.errors import InvalidInput
from mash_desk.profiles import (
    POSTGRESQL,
    ConnectionProfile,
    Server,
    load_machine_profiles,
    load_user_profiles,
    parse_servers,
    save_user_profiles,
    validate_profile,
)
from mash_desk.services.workstation import profile_for_url
from mash_desk.store.database import Database
from mash_desk.store.reporting import HubDatabase, reports_database


def _profile(**fields: Any) -> ConnectionProfile:
    return validate_profile({"name": "Hub", "kind": POSTGRESQL, "database": "mash_luton", **fields})


def _libpq(url: str) -> dict[str, Any]:
    """What SQLAlchemy's psycopg dialect hands to ``psycopg.connect`` for ``url``."""
    db = Database(url)
    try:
        _args, params = db.engine.dialect.create_connect_args(db.engine.url)
    finally:
        db.dispose()
    return dict(params)


def _refusal(**fields: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        _profile(**fields)
    return refused.value.field_errors


# --- several servers --------------------------------------------------------------------------


def test_one_server_is_the_url_it_always_was() -> None:
    profile = _profile(host="db1.council.local", sslmode="verify-full")
    assert profile.servers == (Server("db1.council.local", 5432),)
    assert profile.url() == "postgresql+psycopg://db1.council.local:5432/mash_luton?sslmode=verify-full"
    assert profile.key == "db1.council.local:5432/mash_luton"


def test_several_servers_reach_libpq_as_one_host_list_that_keeps_the_read_write_one() -> None:
    profile = _profile(host="db1.council.local, db2.council.local:5433", sslmode="verify-full", user="sam")
    assert profile.servers == (Server("db1.council.local", 5432), Server("db2.council.local", 5433))
    params = _libpq(profile.url(password="pw"))
    assert params["host"] == "db1.council.local,db2.council.local"
    assert params["port"] == "5432,5433"
    assert params["target_session_attrs"] == "read-write"
    assert (params["dbname"], params["user"], params["password"]) == ("mash_luton", "sam", "pw")
    assert params["sslmode"] == "verify-full"
    assert profile.key == "db1.council.local:5432,db2.council.local:5433/mash_luton"


def test_a_machine_wide_file_may_list_servers_and_ports_as_toml_lists(tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        '[[profile]]\nname = "Hub"\nhost = ["db1.council.local", "db2.council.local"]\nport = [5432, 6432]\n'
        'database = "mash_luton"\nsslmode = "verify-full"\nreporting_url = "report.council.local"\n',
        encoding="utf-8",
    )
    (profile,) = load_machine_profiles(path)
    assert profile.managed
    assert profile.servers == (Server("db1.council.local", 5432), Server("db2.council.local", 6432))
    assert profile.host == "db1.council.local, db2.council.local:6432"
    assert profile.reporting_url == "report.council.local"


def test_ipv6_addresses_in_brackets_or_bare() -> None:
    assert parse_servers("[fd00::5]:5433, ::1, db1", 5432) == (
        Server("fd00::5", 5433),
        Server("::1", 5432),
        Server("db1", 5432),
    )
    params = _libpq(_profile(host="[fd00::5]:5433, ::1").url())
    assert (params["host"], params["port"]) == ("fd00::5,::1", "5433,5432")


@pytest.mark.parametrize(
    ("host", "port", "field", "words"),
    [
        ("", 5432, "host", "Enter the database server's name or address"),
        ("db1,,db2", 5432, "host", "empty entry"),
        ("db1, db1:5432", 5432, "host", "db1:5432 is listed twice"),
        ("db1:fivefour", 5432, "host", "the port after the colon is a number from 1 to 65535"),
        ("db1:70000", 5432, "host", "the port after the colon is a number from 1 to 65535"),
        ("db one", 5432, "host", "“db one” is not a server"),
        ("[db1]:5432", 5432, "host", "only an IPv6 address goes in square brackets"),
        ("db1", 0, "port", "The port is a number from 1 to 65535"),
        ("db1, db2", [5432, 5433, 5434], "port", "(2 servers, 3 ports)"),
    ],
)
def test_a_bad_server_list_is_refused_at_its_field(host: str, port: object, field: str, words: str) -> None:
    errors = _refusal(host=host, port=port)
    assert list(errors) == [field]
    assert words in errors[field]


# --- the reporting server ---------------------------------------------------------------------


def test_a_reporting_server_by_name_reads_the_same_database_preferring_a_standby() -> None:
    profile = _profile(
        host="db1, db2",
        sslmode="verify-full",
        sslrootcert="/etc/mash-desk/hub-ca.pem",
        reporting_url="report1, report2:5433",
    )
    url = profile.reports_url(password="pw")
    assert url is not None
    params = _libpq(url)
    assert params["host"] == "report1,report2"
    assert params["port"] == "5432,5433"
    assert params["dbname"] == "mash_luton"
    assert params["target_session_attrs"] == "prefer-standby"
    assert (params["sslmode"], params["sslrootcert"]) == ("verify-full", "/etc/mash-desk/hub-ca.pem")
    assert "reports from report1, report2:5433" in profile.describe()


def test_a_reporting_server_by_address_may_say_what_it_wants_from_libpq() -> None:
    profile = _profile(
        host="db1",
        sslmode="verify-full",
        reporting_url="postgresql://report1:6432,report2/mash_reports?target_session_attrs=standby&sslmode=require",
    )
    url = profile.reports_url()
    assert url is not None
    params = _libpq(url)
    assert (params["host"], params["port"]) == ("report1,report2", "6432,5432")
    assert params["dbname"] == "mash_reports"
    assert params["target_session_attrs"] == "standby"
    assert params["sslmode"] == "require"
    # the libpq form with host= and port= in the query is the same thing
    other = _profile(host="db1", reporting_url="postgresql:///mash_reports?host=report1,report2&port=6432,5432")
    assert other.reports_url() is not None
    assert _libpq(str(other.reports_url()))["host"] == "report1,report2"


def test_no_reporting_server_means_reports_read_the_database_itself() -> None:
    profile = _profile(host="db1")
    assert profile.reports_url() is None
    db = profile.open_database(login="sam", password="pw")
    try:
        assert not isinstance(db, HubDatabase)
        assert reports_database(db) is db
    finally:
        db.dispose()


def test_a_profile_with_a_reporting_server_opens_both_with_the_same_login() -> None:
    profile = _profile(host="db1, db2", reporting_url="report1")
    db = profile.open_database(login="sam", password="secret-pw")
    try:
        assert isinstance(db, HubDatabase)
        reports = reports_database(db)
        assert reports is db.reporting
        assert (reports.url.username, reports.url.password) == ("sam", "secret-pw")
        assert reports.url.query["target_session_attrs"] == "prefer-standby"
        assert db.url.query["target_session_attrs"] == "read-write"
        assert "secret-pw" not in db.describe()
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("reporting", "words"),
    [
        ("postgresql://sam@report1/mash", "Reports are read with your own login"),
        ("postgresql://sam:hunter2@report1/mash", "Profiles never hold passwords"),
        ("mysql://report1/mash", "is a PostgreSQL server"),
        ("postgresql://report1/mash?target_session_attrs=read-write", "Reports only read"),
        ("postgresql://report1/mash?options=-c%20role%3Dadmin", "“options” is not a setting MASH Desk passes on"),
        ("postgresql://report1/mash?sslmode=sometimes", "SSL mode is one of"),
        ("postgresql://report1:5432/mash?host=report2", "not both"),
        ("report1:port", "the port after the colon"),
    ],
)
def test_a_bad_reporting_server_is_refused_at_its_field(reporting: str, words: str) -> None:
    errors = _refusal(host="db1", reporting_url=reporting)
    assert list(errors) == ["reporting_url"]
    assert words in errors["reporting_url"]
    assert "hunter2" not in errors["reporting_url"]


# --- kept and given ---------------------------------------------------------------------------


def test_a_users_profile_keeps_its_servers_and_reporting_server(tmp_path: Path) -> None:
    profile = _profile(host="db1, db2:5433", reporting_url="report1")
    path = tmp_path / "profiles.json"
    save_user_profiles([profile], path)
    assert load_user_profiles(path) == [profile]


def test_a_database_url_with_several_servers_gives_a_profile_with_them_all() -> None:
    for url in (
        "postgresql://sam@/mash_luton?host=db1,db2&port=5432,5433&sslmode=verify-full&sslrootcert=/ca.pem",
        "postgresql://sam@/mash_luton?host=db1:5432&host=db2:5433&sslmode=verify-full&sslrootcert=/ca.pem",
    ):
        profile, password = profile_for_url(url)
        assert profile.servers == (Server("db1", 5432), Server("db2", 5433)), url
        assert (profile.database, profile.user, password) == ("mash_luton", "sam", None)
        assert (profile.sslmode, profile.sslrootcert) == ("verify-full", "/ca.pem")
        assert make_url(profile.url()).query["target_session_attrs"] == "read-write"
