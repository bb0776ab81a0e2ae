"""The Standard Safeguarding Dataset export checked against every field definition in
``shared/reference/ssd`` (data-to-insight's ``ssd-data-model``): table and field names in order,
required fields, types, the code sets and JSON structures the guidance gives, unique keys and the
foreign keys between tables; then loaded back."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from mash_desk.cli import main
from mash_desk.domain.errors import PermissionRefused
from mash_desk.exports.ssd import TABLES
from mash_desk.services.context import ServiceContext
from mash_desk.services.ssd import export_ssd
from mash_desk.store.database import Database
from mash_desk.tools.demo import generate_demo
from tests.exports.census_cases import build_census_cases, upn_for
from tests.exports.cli_support import as_user
from tests.support import World

REPO = Path(__file__).resolve().parents[2]
DEFINITIONS = REPO.parent / "shared" / "reference" / "ssd"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)

# Unique validators the model puts on fields that cannot be unique in any real extract, so not
# enforced (the keys of each table are): siblings share an address, every child without a
# disability is NONE, a family has several children.
NOT_UNIQUE_IN_PRACTICE = {
    ("ssd_address", "addr_address_json"),
    ("ssd_disability", "disa_disability_code"),
    ("ssd_family", "fami_family_id"),
}
# The model's ethnicity code set spells Chinese "CNHE"; the DfE's code (census, school census) is CHNE.
CODE_SET_SPELLING = {("ssd_person", "pers_ethnicity"): {"CHNE": "CNHE"}}
_CODE = re.compile(r"(?:^|\s)([A-Z0-9]{1,6}) - ")
_JSON_KEY = re.compile(r"(\w+): \"\"")


@dataclass(frozen=True)
class FieldDefinition:
    table: str
    name: str
    type: str
    required: bool
    unique: bool
    foreign_key: str | None
    codes: frozenset[str] = field(default_factory=frozenset)
    json_keys: tuple[str, ...] = ()


def _definitions() -> Iterator[FieldDefinition]:
    for path in sorted(DEFINITIONS.glob("*.yml")):
        for node in yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]:
            for spec in node["fields"]:
                validators: dict[str, Any] = {}
                for validator in spec.get("validators", []):
                    validators.update(validator)
                guidance = spec.get("guidance") or ""
                codes: set[str] = set()
                found = re.search(r"code set", guidance, re.IGNORECASE)
                if found:
                    codes = set(_CODE.findall(guidance[found.end() :]))
                yield FieldDefinition(
                    table=node["name"],
                    name=spec["name"],
                    type=spec["type"].lower(),
                    required=bool(validators.get("required", {}).get("enabled")),
                    unique=bool(
                        spec.get("primary_key")
                        or "pk" in spec.get("constraints", [])
                        or validators.get("unique", {}).get("enabled")
                    ),
                    foreign_key=spec.get("foreign_key"),
                    codes=frozenset(codes),
                    json_keys=tuple(_JSON_KEY.findall(guidance)) if spec["name"].endswith("_json") else (),
                )


DEFINED = list(_definitions())


def read_back(folder: Path) -> dict[str, list[dict[str, str]]]:
    tables: dict[str, list[dict[str, str]]] = {}
    for table, fields in TABLES.items():
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as source:
            reader = csv.DictReader(source)
            assert tuple(reader.fieldnames or ()) == fields, table
            tables[table] = list(reader)
    return tables


def problems_in(tables: dict[str, list[dict[str, str]]]) -> list[str]:
    problems: list[str] = []
    for spec in DEFINED:
        values = [row[spec.name] for row in tables[spec.table]]
        where = f"{spec.table}.{spec.name}"
        present = [v for v in values if v != ""]
        if spec.required and len(present) != len(values):
            problems.append(f"{where}: {len(values) - len(present)} empty but required")
        for value in present:
            if spec.type == "datetime":
                try:
                    datetime.fromisoformat(value)
                except ValueError:
                    problems.append(f"{where}: {value!r} is not a date")
            elif spec.type == "int" and not re.fullmatch(r"-?\d+", value):
                problems.append(f"{where}: {value!r} is not a whole number")
            elif spec.type == "float" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
                problems.append(f"{where}: {value!r} is not a number")
            elif spec.type == "nchar" and value not in {"Y", "N"}:
                problems.append(f"{where}: {value!r} is not a Y/N flag")
            if spec.codes:
                spelled = CODE_SET_SPELLING.get((spec.table, spec.name), {}).get(value, value)
                if spelled not in spec.codes:
                    problems.append(f"{where}: {value!r} is not in the code set {sorted(spec.codes)}")
            if spec.json_keys and tuple(json.loads(value)) != spec.json_keys:
                problems.append(f"{where}: {value!r} has not the structure's keys {spec.json_keys}")
        if spec.unique and (spec.table, spec.name) not in NOT_UNIQUE_IN_PRACTICE and len(set(present)) != len(present):
            problems.append(f"{where}: {len(present) - len(set(present))} repeated values in a unique key")
        if spec.foreign_key:
            table, column = spec.foreign_key.split(".")
            known = {row[column] for row in tables[table]}
            missing = sorted(set(present) - known)
            if missing:
                problems.append(f"{where}: {missing[:3]} not in {spec.foreign_key}")
    return problems


def test_the_export_has_every_defined_table_and_field_in_order() -> None:
    defined: dict[str, list[str]] = {}
    for spec in DEFINED:
        defined.setdefault(spec.table, []).append(spec.name)
    assert {table: tuple(names) for table, names in defined.items()} == dict(TABLES)
    # the parsing found what the guidance says (a test of the test)
    codes = {(s.table, s.name): s.codes for s in DEFINED if s.codes}
    assert codes[("ssd_person", "pers_sex")] == {"F", "M", "U"}
    assert codes[("ssd_cin_episodes", "cine_close_reason")] == {f"RC{n}" for n in range(1, 10)}
    assert "DDA" in codes[("ssd_disability", "disa_disability_code")]
    assert {"UN1", "UN5"} <= codes[("ssd_person", "pers_upn_unknown")]
    keys = {(s.table, s.name): s.json_keys for s in DEFINED if s.json_keys}
    assert len(keys) == 3
    assert keys[("ssd_address", "addr_address_json")][:2] == ("ROOM", "FLOOR")


def test_a_demo_extract_keeps_every_definition(db: Database, tmp_path: Path) -> None:
    generate_demo(db, contacts=600, seed=3, now=NOW)
    written = export_ssd(ServiceContext(db, "aud", clock=lambda: NOW), tmp_path / "ssd")
    assert written.since == date(2020, 3, 10)
    tables = read_back(tmp_path / "ssd")
    assert {table: len(rows) for table, rows in tables.items()} == written.rows
    for table in ("ssd_person", "ssd_contacts", "ssd_cin_episodes", "ssd_address", "ssd_disability"):
        assert tables[table], table
    assert problems_in(tables) == []


def test_the_cli_writes_the_edge_cases_and_they_load_back(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = build_census_cases(world)
    out = tmp_path / "ssd"
    assert main([*as_user(world, "aud"), "export", "ssd", "--out", str(out), "--since", "2025-04-01"]) == 0
    said = capsys.readouterr().out
    assert "Wrote the Standard Safeguarding Dataset (2025-04-01 to " in said  # to today
    assert "12 tables" in said
    tables = read_back(out)
    assert problems_in(tables) == []
    people = {row["pers_person_id"]: row for row in tables["ssd_person"]}
    zara = people[f"MD{cases.zara:07d}"]
    assert (zara["pers_sex"], zara["pers_upn_unknown"]) == ("F", "UN2")
    assert people[f"MD{cases.due_soon:07d}"]["pers_expected_dob"] == "2027-02-01"
    episodes = [row for row in tables["ssd_cin_episodes"] if row["cine_person_id"] == f"MD{cases.zara:07d}"]
    assert sorted((e["cine_referral_date"], e["cine_referral_nfa"], e["cine_close_reason"]) for e in episodes) == [
        ("2025-08-05", "Y", "RC8"),
        ("2025-12-01", "N", ""),
    ]
    upns = {row["link_person_id"]: row["link_identifier_value"] for row in tables["ssd_linked_identifiers"]}
    assert upns[f"MD{cases.omar:07d}"] == upn_for("822500118002")


def test_only_those_who_produce_the_returns_can_export_it(world: World, tmp_path: Path) -> None:
    build_census_cases(world)
    with pytest.raises(PermissionRefused):
        export_ssd(world.sam, tmp_path / "ssd")
    assert not (tmp_path / "ssd").exists()
