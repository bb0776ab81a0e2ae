"""Connection profiles: which database a workstation opens, without ever holding a password.

Three sources, in this order: the embedded database on this computer; profiles the IT department
lays down machine-wide (read-only, ``profiles.toml``); and the user's own (``profiles.json`` in
their data folder). Passwords live only in the OS keyring (``mash_desk.credentials``).
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from mash_desk.domain.errors import InvalidInput
from mash_desk.store.database import data_dir, default_sqlite_url

MACHINE_PROFILES_ENV = "MASH_DESK_MACHINE_PROFILES"
EMBEDDED = "embedded"
POSTGRESQL = "postgresql"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
EMBEDDED_NAME = "This computer (embedded database)"


@dataclass(frozen=True)
class ConnectionProfile:
    name: str
    kind: str = EMBEDDED
    host: str = ""
    port: int = 5432
    database: str = "mash_desk"
    user: str = ""
    sslmode: str = "prefer"
    sslrootcert: str = ""
    sqlite_path: str = ""
    managed: bool = field(default=False, compare=False)  # laid down by IT: shown, not editable

    @property
    def key(self) -> str:
        """What the keyring stores the password under: the server, not the profile's label."""
        return f"{self.host}:{self.port}/{self.database}" if self.kind == POSTGRESQL else self.name

    def url(self, password: str | None = None) -> str:
        if self.kind == EMBEDDED:
            return f"sqlite:///{self.sqlite_path}" if self.sqlite_path else default_sqlite_url()
        query: dict[str, str] = {"sslmode": self.sslmode}
        if self.sslrootcert:
            query["sslrootcert"] = self.sslrootcert
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    def describe(self) -> str:
        if self.kind == EMBEDDED:
            return self.sqlite_path or "embedded database in your data folder"
        return f"{self.user or '?'}@{self.host}:{self.port}/{self.database} (SSL {self.sslmode})"


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
    host = str(raw.get("host") or "").strip()
    port = _port(raw.get("port", 5432))
    if port is None:
        errors["port"] = "The port is a number from 1 to 65535."
    database = str(raw.get("database") or "mash_desk").strip()
    sslmode = str(raw.get("sslmode") or "prefer").strip()
    if kind == POSTGRESQL:
        if not host:
            errors["host"] = "Enter the database server's name or address."
        if not database:
            errors["database"] = "Enter the database name."
        if sslmode not in SSL_MODES:
            errors["sslmode"] = f"SSL mode is one of: {', '.join(SSL_MODES)}."
    if errors:
        raise InvalidInput(errors)
    return ConnectionProfile(
        name=name,
        kind=kind,
        host=host,
        port=port or 5432,
        database=database,
        user=str(raw.get("user") or "").strip(),
        sslmode=sslmode,
        sslrootcert=str(raw.get("sslrootcert") or "").strip(),
        sqlite_path=str(raw.get("sqlite_path") or "").strip(),
    )


def _port(value: object) -> int | None:
    try:
        port = int(str(value))
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def machine_profiles_path() -> Path:
    """Where IT puts the machine-wide profile file (overridable for tests and portable installs)."""
    override = os.environ.get(MACHINE_PROFILES_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "MASH Desk" / "profiles.toml"
    return Path("/etc/mash-desk/profiles.toml")


def user_profiles_path() -> Path:
    return data_dir() / "profiles.json"


def load_machine_profiles(path: Path | None = None) -> list[ConnectionProfile]:
    """Profiles from the machine-wide file; a broken file is an error IT must see, not a silent skip."""
    target = path or machine_profiles_path()
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
        profiles.append(ConnectionProfile(**{**asdict(profile), "managed": True}))
    return profiles


def load_user_profiles(path: Path | None = None) -> list[ConnectionProfile]:
    target = path or user_profiles_path()
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
    target = path or user_profiles_path()
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
