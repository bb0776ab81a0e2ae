"""The referral-level part of the DfE Children in Need census, as XML, in the chosen year's format.

2023-24 is valid against CIN_schema_2024.xsd (``GenderCurrent``); from 2024-25 ``Sex`` (M, F, U)
takes its place and the DfE's validation rules (as ``csc-validator-be-cin`` runs them) are the judge.

What is written, per child with a referral in the collection year: identifiers (LA child id, UPN or
the reason it is unknown, date of birth or expected date, sex), characteristics (ethnicity;
disabilities only when the record says "none": a "yes" without the kind of disability cannot be
coded), and one ``CINdetails`` per CIN episode (``domain.cin_census.cin_episodes``): date, source,
primary need, the closure date and reason of a referral the front door closed with no further
action, and ``ReferralNFA``. Assessments, section 47 enquiries, plans and the closure of a case the
receiving team took belong to that team's system and are left to it, as the DfE's guide says for
items a system does not hold.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from mash_desk.domain.cin_census import carries_sex
from mash_desk.domain.periods import Period

COLLECTION = "CIN"
SOFTWARE_CODE = "MASH Desk"


@dataclass(frozen=True)
class CensusReferral:
    """One ``CINdetails``: a CIN episode."""

    referral_date: date
    referral_source: str
    primary_need: str | None
    nfa: bool
    closure_date: date | None = None
    closure_reason: str | None = None


@dataclass(frozen=True)
class CensusChild:
    la_child_id: str
    upn: str | None
    birth_date: date | None
    expected_birth_date: date | None
    gender: str  # Sex (M, F, U) from 2024-25, GenderCurrent (1, 2, 0, 9) before: domain.cin_census.census_gender
    ethnicity: str
    disabilities: tuple[str, ...]
    referrals: tuple[CensusReferral, ...]
    upn_unknown: str | None = None


@dataclass(frozen=True)
class CensusReturn:
    year: int
    la_code: str
    period: Period
    generated_at: datetime  # London wall-clock time, no zone (xs:dateTime)
    release: str
    children: tuple[CensusChild, ...]
    referrals: int = 0
    """The referrals the episodes stand for (a referral made while an episode was open joins it)."""
    upns_left_out: int = 0
    """Stored UPNs that fail today's checks (check letter, LA code), left out of the return."""

    @property
    def episodes(self) -> int:
        return sum(len(child.referrals) for child in self.children)

    @property
    def reference_date(self) -> date:
        return self.period.last


def _add(parent: ET.Element, tag: str, value: object | None) -> None:
    if value is None:
        return
    element = ET.SubElement(parent, tag)
    element.text = value.isoformat() if isinstance(value, date | datetime) else str(value)


def census_xml(census: CensusReturn) -> bytes:
    """The census message as UTF-8 XML bytes (elements in the schema's order)."""
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", COLLECTION)
    _add(details, "Year", census.year)
    _add(details, "ReferenceDate", census.reference_date)
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", census.la_code)
    _add(source, "SoftwareCode", SOFTWARE_CODE)
    _add(source, "Release", census.release)
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", census.generated_at.replace(microsecond=0))
    children = ET.SubElement(message, "Children")
    for child in census.children:
        node = ET.SubElement(children, "Child")
        ids = ET.SubElement(node, "ChildIdentifiers")
        _add(ids, "LAchildID", child.la_child_id)
        _add(ids, "UPN", child.upn)
        _add(ids, "UPNunknown", child.upn_unknown)
        _add(ids, "PersonBirthDate", child.birth_date)
        _add(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
        _add(ids, "Sex" if carries_sex(census.year) else "GenderCurrent", child.gender)
        characteristics = ET.SubElement(node, "ChildCharacteristics")
        _add(characteristics, "Ethnicity", child.ethnicity)
        if child.disabilities:
            disabilities = ET.SubElement(characteristics, "Disabilities")
            for code in child.disabilities:
                _add(disabilities, "Disability", code)
        for referral in child.referrals:
            cin = ET.SubElement(node, "CINdetails")
            _add(cin, "CINreferralDate", referral.referral_date)
            _add(cin, "ReferralSource", referral.referral_source)
            _add(cin, "PrimaryNeedCode", referral.primary_need)
            _add(cin, "CINclosureDate", referral.closure_date)
            _add(cin, "ReasonForClosure", referral.closure_reason)
            _add(cin, "ReferralNFA", "true" if referral.nfa else "false")
    ET.indent(message)
    document: bytes = ET.tostring(message, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"
