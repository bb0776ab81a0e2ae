"""The Standard Safeguarding Dataset (data-to-insight's ``ssd-data-model``): the tables MASH Desk can
fill, as one CSV file per table with exactly the model's field names, in its order.

Values are written as the model's types want them: text as is, dates ``YYYY-MM-DD``, date-times
``YYYY-MM-DD HH:MM:SS`` (London), whole numbers, Y/N flags, and the JSON fields with every key of
their structure "regardless of data presence". A field the MASH does not record is left empty.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# table → its fields, in the model's order (shared/reference/ssd/*.yml; a test compares them)
TABLES: Mapping[str, tuple[str, ...]] = {
    "ssd_person": (
        "pers_person_id",
        "pers_forename",
        "pers_surname",
        "pers_sex",
        "pers_gender",
        "pers_ethnicity",
        "pers_dob",
        "pers_common_child_id",
        "pers_legacy_id",
        "pers_upn_unknown",
        "pers_send_flag",
        "pers_expected_dob",
        "pers_death_date",
        "pers_is_mother",
        "pers_nationality",
    ),
    "ssd_contacts": (
        "cont_contact_id",
        "cont_person_id",
        "cont_contact_date",
        "cont_contact_source_code",
        "cont_contact_source_desc",
        "cont_contact_outcome_json",
    ),
    "ssd_cin_episodes": (
        "cine_referral_id",
        "cine_person_id",
        "cine_referral_date",
        "cine_cin_primary_need_code",
        "cine_referral_source_code",
        "cine_referral_source_desc",
        "cine_referral_outcome_json",
        "cine_referral_nfa",
        "cine_close_reason",
        "cine_close_date",
        "cine_referral_team",
        "cine_referral_worker_id",
    ),
    "ssd_address": (
        "addr_table_id",
        "addr_address_json",
        "addr_person_id",
        "addr_address_type",
        "addr_address_start_date",
        "addr_address_end_date",
        "addr_address_postcode",
    ),
    "ssd_disability": ("disa_person_id", "disa_table_id", "disa_disability_code"),
    "ssd_family": ("fami_table_id", "fami_family_id", "fami_person_id"),
    "ssd_linked_identifiers": (
        "link_table_id",
        "link_person_id",
        "link_identifier_type",
        "link_identifier_value",
        "link_valid_from_date",
        "link_valid_to_date",
    ),
    "ssd_involvements": (
        "invo_involvements_id",
        "invo_professional_id",
        "invo_professional_role_id",
        "invo_professional_team",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
        "invo_worker_change_reason",
        "invo_person_id",
        "invo_referral_id",
    ),
    "ssd_professionals": (
        "prof_professional_id",
        "prof_staff_id",
        "prof_professional_name",
        "prof_social_worker_registration_no",
        "prof_professional_job_title",
        "prof_professional_caseload",
        "prof_professional_department",
        "prof_full_time_equivalency",
        "prof_agency_worker_flag",
    ),
    "ssd_department": ("dept_team_id", "dept_team_name", "dept_team_parent_id", "dept_team_parent_name"),
    "ssd_early_help_episodes": (
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        "earl_episode_reason",
        "earl_episode_end_reason",
        "earl_episode_organisation",
        "earl_episode_worker_id",
    ),
    "ssd_immigration_status": (
        "immi_person_id",
        "immi_immigration_status_id",
        "immi_immigration_status",
        "immi_immigration_status_start_date",
        "immi_immigration_status_end_date",
    ),
}

# the JSON fields' structures: every key, "regardless of data presence"
ADDRESS_KEYS = ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE", "STREET", "TOWN", "UPRN", "EASTING", "NORTHING")
CONTACT_OUTCOME_KEYS = (
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
)
REFERRAL_OUTCOME_KEYS = (
    "SINGLE_ASSESSMENT_FLAG",
    "NFA_FLAG",
    "STRATEGY_DISCUSSION_FLAG",
    "CLA_REQUEST_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "CP_TRANSFER_IN_FLAG",
    "CP_CONFERENCE_FLAG",
    "CARE_LEAVER_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
)

Value = str | int | float | bool | date | datetime | None
Row = Mapping[str, Value]


def structure(keys: Sequence[str], values: Mapping[str, str]) -> str:
    """A JSON field with every key of its structure ("" where there is nothing), in the model's order."""
    unknown = set(values) - set(keys)
    if unknown:
        raise ValueError(f"keys not in the structure: {sorted(unknown)}")
    return json.dumps({key: values.get(key, "") for key in keys}, ensure_ascii=False)


def flag(value: bool | None) -> str:
    """An SSD Y/N flag ("" when not known)."""
    return "" if value is None else ("Y" if value else "N")


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return flag(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class SsdExtract:
    """Every table's rows (each a mapping from field name to value)."""

    tables: Mapping[str, Sequence[Row]]


def write_ssd(extract: SsdExtract, folder: Path) -> dict[str, int]:
    """One ``<table>.csv`` per table in ``folder`` (made if missing); returns each table's row count."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table, fields in TABLES.items():
        rows = extract.tables.get(table, ())
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(fields)
            for row in rows:
                extra = set(row) - set(fields)
                if extra:
                    raise ValueError(f"{table}: fields not in the model: {sorted(extra)}")
                writer.writerow([_cell(row.get(field)) for field in fields])
        counts[table] = len(rows)
    return counts
