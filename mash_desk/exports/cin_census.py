"""The referral-level part of the DfE Children in Need census, as XML valid against CIN_schema_2024.xsd.

What is written, per child with a referral in the collection year: identifiers (LA child id, UPN,
date of birth or expected date, gender), characteristics (ethnicity; disabilities only when the
record says "none": a "yes" without the kind of disability cannot be coded), and one ``CINdetails``
per referral: date, source, primary need and ``ReferralNFA``. Assessments, section 47 enquiries, plans
and closures belong to the receiving teams' systems and are not invented here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from mash_desk.domain.periods import Period

COLLECTION = "CIN"
SOFTWARE_CODE = "MASH Desk"


@dataclass(frozen=True)
class CensusReferral:
    referral_date: date
    referral_source: str
    primary_need: str | None
    nfa: bool


@dataclass(frozen=True)
class CensusChild:
    la_child_id: str
    upn: str | None
    birth_date: date | None
    expected_birth_date: date | None
    gender: str  # CIN gender code
    ethnicity: str
    disabilities: tuple[str, ...]
    referrals: tuple[CensusReferral, ...]


@dataclass(frozen=True)
class CensusReturn:
    year: int
    la_code: str
    period: Period
    generated_at: datetime  # London wall-clock time, no zone (xs:dateTime)
    release: str
    children: tuple[CensusChild, ...]

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
        _add(ids, "PersonBirthDate", child.birth_date)
        _add(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
        _add(ids, "GenderCurrent", child.gender)
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
            _add(cin, "ReferralNFA", "true" if referral.nfa else "false")
    ET.indent(message)
    document: bytes = ET.tostring(message, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"
