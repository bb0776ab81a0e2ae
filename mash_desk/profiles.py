"""Connection profiles: which database a workstation opens, without ever holding a password.

Three sources, in this order: the embedded database on this computer; profiles the IT department
lays down machine-wide (read-only, ``profiles.toml``); and the user's own (``profiles.json`` in
their data folder). Passwords live only in the OS keyring (``mash_desk.credentials``).

A hub that fails over lists several servers (``host = "db1, db2:5433"``): libpq tries them in
order and keeps the one that takes writes (``target_session_attrs=read-write``), so after a
standby is promoted the next connection finds it. A profile may also name a read-only
**reporting** server (a hot standby) for the dashboard, statutory exports, letter worklists and
``mash-desk report``; it is read with the person's own login and password.
"""

from __future__ import annotations

import ipaddress
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from sqlalchemy.engine import URL

from mash_desk.domain.errors import InvalidInput
from mash_desk.paths import machine_profiles_file, user_profiles_file
from mash_desk.store.database import Database, default_sqlite_url
from mash_desk.store.reporting import open_database

EMBEDDED = "embedded"
POSTGRESQL = "postgresql"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
EMBEDDED_NAME = "This computer (embedded database)"
DEFAULT_PORT = 5432
READ_WRITE = "read-write"
"""libpq's ``target_session_attrs`` for a profile with several servers: connect to the one taking writes."""
REPORTING_SESSION_ATTRS = ("prefer-standby", "standby", "read-only", "any")
"""What a reporting server may ask libpq for; the first is the default (a standby when one answers)."""
REPORTING_SETTINGS = ("sslmode", "sslrootcert", "target_session_attrs", "connect_timeout")
"""The libpq settings a reporting URL may carry (host, port and dbname come from its address)."""

_HOST_NAME = re.compile(r"^[\w.-]+$")
_BRACKETED = re.compile(r"^\[(?P<host>[^\]]+)\](?::(?P<port>.*))?$")
_NAMED = re.compile(r"^(?P<host>[^:]+)(?::(?P<port>.*))?$")
_PG_URL = re.compile(
    r"^(?P<scheme>[A-Za-z0-9+]+)://(?:(?P<userinfo>[^@/?]*)@)?(?P<hosts>[^/?]*)(?:/(?P<database>[^?]*))?"
    r"(?:\?(?P<query>.*))?$"
)


@dataclass(frozen=True)
class Server:
    """One database server: a name or address, and its port."""

    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        return f"{_show_host(self.host)}:{self.port}"


@dataclass(frozen=True)
class ConnectionProfile:
    name: str
    kind: str = EMBEDDED
    host: str = ""
    """One server, or several separated by commas, each optionally with its own port:
    ``db1.council.local, db2.council.local:5433, [fd00::5]``. Tried in order; the one taking writes is kept."""
    port: int = DEFAULT_PORT
    """The port of every server in ``host`` that does not name its own."""
    database: str = "mash_desk"
    user: str = ""
    sslmode: str = "prefer"
    sslrootcert: str = ""
    sqlite_path: str = ""
    reporting_url: str = ""
    """Optional read-only reporting server(s): ``report-db.council.local`` (the same database, SSL mode
    and CA as the profile) or a whole ``postgresql://report1,report2:5433/mash_desk?sslmode=…`` address."""
    managed: bool = field(default=False, compare=False)  # laid down by IT: shown, not editable

    @property
    def servers(self) -> tuple[Server, ...]:
        return parse_servers(self.host, self.port) if self.kind == POSTGRESQL else ()

    @property
    def key(self) -> str:
        """What the keyring stores the password under: the server(s), not the profile's label."""
        if self.kind != POSTGRESQL:
            return self.name
        return f"{','.join(str(s) for s in self.servers)}/{self.database}"

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL of the database that takes the saves."""
        if self.kind == EMBEDDED:
            return f"sqlite:///{self.sqlite_path}" if self.sqlite_path else default_sqlite_url()
        query: dict[str, str] = {"sslmode": self.sslmode}
        if self.sslrootcert:
            query["sslrootcert"] = self.sslrootcert
        servers = self.servers
        if len(servers) > 1:
            query["target_session_attrs"] = READ_WRITE
        return _render(self.user, password, servers, self.database, query)

    def reports_url(self, password: str | None = None) -> str | None:
        """The SQLAlchemy URL of the reporting server, or None when the profile names none."""
        if self.kind != POSTGRESQL or not self.reporting_url.strip():
            return None
        servers, database, query = parse_reporting(self.reporting_url, self)
        return _render(self.user, password, servers, database, query, always_listed=True)

    def open_database(self, login: str | None = None, password: str | None = None) -> Database:
        """The database this profile names (not yet connected), with its reporting server when it has one."""
        return open_database(self.url(), reporting_url=self.reports_url(), login=login, password=password)

    def describe(self) -> str:
        if self.kind == EMBEDDED:
            return self.sqlite_path or "embedded database in your data folder"
        servers = ", ".join(str(s) for s in self.servers)
        text = f"{self.user or '?'}@{servers}/{self.database} (SSL {self.sslmode})"
        return f"{text}; reports from {self.reporting_url.strip()}" if self.reporting_url.strip() else text


def _show_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _render(
    user: str,
    password: str | None,
    servers: Sequence[Server],
    database: str,
    query: dict[str, str],
    *,
    always_listed: bool = False,
) -> str:
    """A psycopg URL; several servers (or an IPv6 address) go in ``?host=a,b&port=p,q``, which
    SQLAlchemy hands to libpq as ``host=a,b port=p,q``."""
    if len(servers) == 1 and ":" not in servers[0].host and not always_listed:
        host: str | None = servers[0].host
        port: int | None = servers[0].port
    else:
        host = port = None
        query = {
            "host": ",".join(s.host for s in servers),
            "port": ",".join(str(s.port) for s in servers),
            **query,
        }
    return URL.create(
        "postgresql+psycopg",
        username=user or None,
        password=password or None,
        host=host,
        port=port,
        database=database,
        query=query,
    ).render_as_string(hide_password=False)


def parse_servers(text: str | Sequence[str], default_port: int = DEFAULT_PORT) -> tuple[Server, ...]:
    """``db1, db2:5433, [fd00::5]:5432`` (or a list of such entries) as servers, in order.

    ``ValueError`` says, in words for the person typing it, what is wrong.
    """
    entries = [text] if isinstance(text, str) else list(text)
    parts = [part.strip() for entry in entries for part in str(entry).split(",")]
    if not any(parts):
        raise ValueError("Enter the database server's name or address.")
    servers: list[Server] = []
    for part in parts:
        if not part:
            raise ValueError("There is an empty entry in the list: separate servers with single commas.")
        server = _server(part, default_port)
        if server in servers:
            raise ValueError(f"{server} is listed twice.")
        servers.append(server)
    return tuple(servers)


def _server(entry: str, default_port: int) -> Server:
    bracketed = _BRACKETED.match(entry)
    if bracketed:
        host, port_text = bracketed["host"], bracketed["port"]
        if not _is_ipv6(host):
            raise ValueError(f"“{entry}”: only an IPv6 address goes in square brackets.")
    elif entry.count(":") > 1:
        if not _is_ipv6(entry):
            raise ValueError(f"“{entry}” is not a server address.")
        host, port_text = entry, None
    else:
        named = _NAMED.match(entry)
        if named is None:
            raise ValueError(f"“{entry}” is not a server: write its name or address, as in db1.council.local:5432.")
        host, port_text = named["host"], named["port"]
        if not (_HOST_NAME.match(host) or host.startswith("/")):
            raise ValueError(
                f"“{entry}” is not a server: write its name or address, optionally with :port "
                "(db1.council.local:5432), and separate several with commas."
            )
    if port_text is None:
        return Server(host, default_port)
    port = _port(port_text)
    if port is None:
        raise ValueError(f"“{entry}”: the port after the colon is a number from 1 to 65535.")
    return Server(host, port)


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def _ports(value: object) -> list[int] | None:
    """One port, or one per server (a TOML list or ``5432,5433``); None if any is not a port."""
    items = list(value) if isinstance(value, list | tuple) else str(value).split(",")
    ports = [_port(item) for item in items]
    return None if not ports or any(p is None for p in ports) else [p for p in ports if p is not None]


def _canonical_hosts(servers: Sequence[Server], port: int) -> str:
    return ", ".join(_show_host(s.host) if s.port == port else str(s) for s in servers)


def parse_reporting(text: str, profile: ConnectionProfile) -> tuple[tuple[Server, ...], str, dict[str, str]]:
    """The reporting servers, database and libpq settings a profile's ``reporting_url`` names.

    Either a list of servers (``report-db, report-db2:5433``: the profile's database, SSL mode and CA)
    or a whole ``postgresql://`` address. It never holds a user or a password: reports are read with
    the person's own login. Unless it says otherwise, libpq prefers a standby
    (``target_session_attrs=prefer-standby``). ``ValueError`` says what is wrong.
    """
    text = text.strip()
    query: dict[str, str] = {"sslmode": profile.sslmode}
    if profile.sslrootcert:
        query["sslrootcert"] = profile.sslrootcert
    database = profile.database
    if "://" not in text:
        servers = parse_servers(text, profile.port)
    else:
        parsed = _PG_URL.match(text)
        if parsed is None:
            raise ValueError("This is not a database address: write postgresql://server/database.")
        if parsed["scheme"].split("+")[0] not in ("postgresql", "postgres"):
            raise ValueError("The reporting server is a PostgreSQL server: its address starts postgresql://.")
        if parsed["userinfo"] is not None:
            if ":" in parsed["userinfo"]:
                raise ValueError("Profiles never hold passwords; take it out of the address (it lives in the keyring).")
            raise ValueError("Reports are read with your own login: leave the user name out of the address.")
        given: dict[str, str] = {}
        for key, value in parse_qsl(parsed["query"] or "", keep_blank_values=True):
            if key in given:
                raise ValueError(f"“{key}” is given twice in the address.")
            given[key] = value
        hosts = unquote(parsed["hosts"])
        if hosts and ("host" in given or "port" in given):
            raise ValueError("Give the servers either before the database name or as host=…, not both.")
        if not hosts:
            hosts = given.pop("host", "")
            ports = given.pop("port", "")
            if ports:
                hosts = _with_ports(hosts, ports)
        servers = parse_servers(hosts, profile.port)
        database = unquote(parsed["database"] or "") or profile.database
        unknown = sorted(set(given) - set(REPORTING_SETTINGS))
        if unknown:
            raise ValueError(
                f"“{unknown[0]}” is not a setting MASH Desk passes on; it takes {', '.join(REPORTING_SETTINGS)}."
            )
        query.update(given)
    attrs = query.setdefault("target_session_attrs", REPORTING_SESSION_ATTRS[0])
    if attrs not in REPORTING_SESSION_ATTRS:
        raise ValueError(
            f"Reports only read: target_session_attrs is one of {', '.join(REPORTING_SESSION_ATTRS)}, not “{attrs}”."
        )
    if query["sslmode"] not in SSL_MODES:
        raise ValueError(f"SSL mode is one of: {', '.join(SSL_MODES)}.")
    return servers, database, query


def servers_in_url(url: URL) -> tuple[Server, ...]:
    """The servers a SQLAlchemy URL names: ``//db:5432/…``, ``?host=a,b&port=p,q`` or ``?host=a:p&host=b:q``."""
    if "host" not in url.query:
        return parse_servers(url.host or "localhost", url.port or DEFAULT_PORT)
    hosts = url.query["host"]
    if not isinstance(hosts, str):
        return parse_servers(list(hosts))
    ports = url.query.get("port")
    return parse_servers(_with_ports(hosts, ports if isinstance(ports, str) else ",".join(ports)) if ports else hosts)


def _with_ports(hosts: str, ports: str) -> str:
    names, numbers = [h.strip() for h in hosts.split(",")], [p.strip() for p in ports.split(",")]
    if len(numbers) == 1:
        numbers *= len(names)
    if len(numbers) != len(names):
        raise ValueError(f"Give one port for every server, or one each ({len(names)} servers, {len(numbers)} ports).")
    return ", ".join(f"{_show_host(h)}:{p}" for h, p in zip(names, numbers, strict=True))


def validate_profile(raw: dict[str, Any], *, allow_password: bool = False) -> ConnectionProfile:
    """A profile from a form or a file; every problem is reported against its field."""
    errors: dict[str, str] = {}
    if "password" in raw and not allow_password:
        errors["password"] = "Profiles never hold passwords; remove it (passwords live in the keyring)."  # noqa: S105
    name = str(raw.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the profile a name."
    kind = str(raw.get("kind") or POSTGRESQL).strip()
    if kind not in (EMBEDDED, POSTGRESQL):
        errors["kind"] = "A profile is either 'embedded' or 'postgresql'."
    raw_host = raw.get("host") or ""
    host = ", ".join(str(h) for h in raw_host) if isinstance(raw_host, list | tuple) else str(raw_host).strip()
    ports = _ports(raw.get("port", DEFAULT_PORT))
    if ports is None:
        errors["port"] = "The port is a number from 1 to 65535."
    port = ports[0] if ports else DEFAULT_PORT
    database = str(raw.get("database") or "mash_desk").strip()
    sslmode = str(raw.get("sslmode") or "prefer").strip()
    reporting_url = str(raw.get("reporting_url") or "").strip()
    if kind == POSTGRESQL:
        try:
            servers = parse_servers(host, port)
        except ValueError as exc:
            errors["host"] = str(exc)
        else:
            if ports is not None and len(ports) > 1:
                if len(ports) != len(servers):
                    errors["port"] = (
                        f"Give one port for every server, or one each ({len(servers)} servers, {len(ports)} ports)."
                    )
                else:
                    servers = tuple(
                        Server(s.host, p) if s.port == port else s for s, p in zip(servers, ports, strict=True)
                    )
            host = _canonical_hosts(servers, port)
        if not database:
            errors["database"] = "Enter the database name."
        if sslmode not in SSL_MODES:
            errors["sslmode"] = f"SSL mode is one of: {', '.join(SSL_MODES)}."
    if errors:
        raise InvalidInput(errors)
    profile = ConnectionProfile(
        name=name,
        kind=kind,
        host=host,
        port=port,
        database=database,
        user=str(raw.get("user") or "").strip(),
        sslmode=sslmode,
        sslrootcert=str(raw.get("sslrootcert") or "").strip(),
        sqlite_path=str(raw.get("sqlite_path") or "").strip(),
        reporting_url=reporting_url if kind == POSTGRESQL else "",
    )
    if profile.reporting_url:
        try:
            parse_reporting(profile.reporting_url, profile)
        except ValueError as exc:
            raise InvalidInput.single("reporting_url", str(exc)) from exc
    return profile


def _port(value: object) -> int | None:
    try:
        port = int(str(value).strip())
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def load_machine_profiles(path: Path | None = None) -> list[ConnectionProfile]:
    """Profiles from the machine-wide file; a broken file is an error IT must see, not a silent skip."""
    target = path or machine_profiles_file()
    if not target.exists():
        return []
    try:
        document = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput.single("profiles", f"The machine-wide profile file {target} cannot be read: {exc}") from exc
    profiles = []
    for index, raw in enumerate(document.get("profile", [])):
        try:
            profile = validate_profile(dict(raw))
        except InvalidInput as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
            raise InvalidInput.single("profiles", f"{target}, profile {index + 1}: {details}") from exc
        profiles.append(replace(profile, managed=True))
    return profiles


def load_user_profiles(path: Path | None = None) -> list[ConnectionProfile]:
    target = path or user_profiles_file()
    if not target.exists():
        return []
    try:
        entries = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []  # the user's own file is theirs to fix from the dialog; never block start-up on it
    profiles = []
    for raw in entries if isinstance(entries, list) else []:
        try:
            profiles.append(validate_profile(dict(raw)))
        except (InvalidInput, TypeError, ValueError):
            continue
    return profiles


def save_user_profiles(profiles: list[ConnectionProfile], path: Path | None = None) -> None:
    target = path or user_profiles_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = [{k: v for k, v in asdict(p).items() if k != "managed"} for p in profiles if not p.managed]
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    temporary.replace(target)


def all_profiles() -> list[ConnectionProfile]:
    """What the connection dialog offers: IT's machine-wide profiles first, then embedded, then the user's."""
    machine = load_machine_profiles()
    embedded = ConnectionProfile(name=EMBEDDED_NAME, kind=EMBEDDED)
    names = {p.name for p in machine}
    return [*machine, embedded, *(p for p in load_user_profiles() if p.name not in names)]
