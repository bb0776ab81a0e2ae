"""The letters as documents: what they say, what they never say, and that they are reproducible."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, OverrideBasis, ReferrerKind
from mash_desk.domain.errors import InvalidInput
from mash_desk.letters import (
    RESOURCES_DIR,
    TEMPLATE_VERSION,
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    InformationSharing,
    Letterhead,
    NamedContact,
    ReferrerLetterData,
    load_wording,
    referrer_disclosable_to_family,
    render_family_letter,
    render_letter,
    render_referrer_letter,
    resolve_resource,
)
from mash_desk.services.policy import DEFAULT_SETTINGS, LETTERHEAD

HEAD = Letterhead.from_config(json.loads(DEFAULT_SETTINGS[LETTERHEAD]))
WORKER = NamedContact("Sam Carter", "Social worker", "MASH Team", "01582 547653", "sam.carter@example.gov.uk")
FACTS = CaseFacts(
    reference="MASH-0000042",
    received_on=date(2026, 3, 10),
    decided_on=date(2026, 3, 11),
    letter_date=date(2026, 3, 12),
    children=(
        ChildOutcome("Amira", "Hussain", date(2019, 5, 4), Outcome.CFA_S17, "Assessment Team", True),
        ChildOutcome("Yusuf", "Hussain", None, Outcome.EARLY_HELP, "Early Help Team", False),
    ),
    contact=WORKER,
)
PROFESSIONAL = ReferrerLetterData(
    FACTS, True, "Jo Bell", "Designated safeguarding lead", "Hillside Primary School", "jo.bell@hillside.sch.uk"
)
FAMILY = FamilyLetterData(
    FACTS,
    "Layla Hussain",
    ("12 Park Street", "Luton", "LU1 3AB"),
    (Concern.NEGLECT, Concern.HOUSING),
    InformationSharing(ConsentStatus.NOT_SOUGHT, True, OverrideBasis.PUBLIC_TASK_SAFEGUARDING, ("Police",)),
    raised_by_professional=True,
    language="Arabic",
    interpreter_needed=True,
)


def pdf_text(pdf: bytes) -> str:
    """The letter's text with runs of whitespace made single spaces (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_the_letterhead_logo_ships_with_the_program() -> None:
    assert HEAD.logo == RESOURCES_DIR / "letterhead-logo.png"
    assert HEAD.logo is not None
    assert HEAD.logo.read_bytes().startswith(b"\x89PNG")


def test_logo_path_may_be_absolute_and_a_missing_logo_is_no_logo(tmp_path: Path) -> None:
    logo = tmp_path / "ours.png"
    logo.write_bytes((RESOURCES_DIR / "letterhead-logo.png").read_bytes())
    assert resolve_resource(str(logo)) == logo
    assert resolve_resource("no-such-file.png") is None
    assert resolve_resource("") is None
    without = dataclasses.replace(HEAD, logo=None)
    assert "Multi-Agency Safeguarding Hub" in pdf_text(render_referrer_letter(PROFESSIONAL, without))


def test_letterhead_configuration_is_checked_field_by_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        Letterhead.from_config({"organisation": "Hub", "address": []})
    assert set(caught.value.field_errors) == {
        "letterhead.phone",
        "letterhead.out_of_hours_phone",
        "letterhead.email",
        "letterhead.address",
    }


def test_referrer_letter_to_a_professional_says_what_the_domain_asks() -> None:
    text = pdf_text(render_referrer_letter(PROFESSIONAL, HEAD))
    for expected in (
        "MASH-0000042",
        "10 March 2026",  # received
        "11 March 2026",  # decided
        "12 March 2026",  # letter date
        "Dear Jo Bell,",
        "Amira Hussain",
        "Yusuf Hussain",
        "Child and family assessment",
        "Stepped down to early help",
        "Accepted by the Assessment Team",
        "Passed to the Early Help Team",
        "Your role",
        "Sam Carter",
        "01582 547653",
        "call 999",
        "0300 300 8123",
        "Page 1 of 1",
    ):
        assert expected in text, expected


def test_a_member_of_the_public_gets_less_detail() -> None:
    public = ReferrerLetterData(FACTS, False, "Pat Neighbour")
    text = pdf_text(render_referrer_letter(public, HEAD))
    assert "Dear Pat Neighbour," in text
    assert "MASH-0000042" in text
    assert "Sam Carter" in text
    assert "999" in text
    assert "Child and family assessment" not in text
    assert "Assessment Team" not in text
    assert "Early Help Team" not in text
    assert "Your role" not in text
    assert load_wording().text("referrer.public.decision.cfa_s17") in text


def test_family_letter_is_plain_and_complete() -> None:
    text = pdf_text(render_family_letter(FAMILY, HEAD))
    for expected in (
        "Dear Layla Hussain,",
        "MASH-0000042",
        "a professional who works with your family",
        "food, clothes",  # the concern, in plain words
        "What we decided",
        "A social worker will meet you",
        "What support is offered",
        "without asking for your agreement first",  # the override, and why
        "right to see your records",
        "Who to contact",
        "Sam Carter",
        "make a complaint",
        "Ombudsman",
        "interpreter who speaks Arabic",
        "999",
    ):
        assert expected in text, expected


def test_family_letter_without_a_disclosable_referrer_says_someone() -> None:
    text = pdf_text(render_family_letter(dataclasses.replace(FAMILY, raised_by_professional=False), HEAD))
    assert "someone contacted" in text
    assert "professional who works with your family" not in text


@pytest.mark.parametrize("kind", list(ReferrerKind))
@pytest.mark.parametrize("anonymity", [False, True])
def test_only_a_professional_who_did_not_ask_for_anonymity_is_disclosable(kind: ReferrerKind, anonymity: bool) -> None:
    assert referrer_disclosable_to_family(kind, anonymity) is (kind is ReferrerKind.PROFESSIONAL and not anonymity)


def test_the_family_letter_data_has_no_field_for_the_referrer() -> None:
    names = {field.name for field in dataclasses.fields(FamilyLetterData)}
    assert not any("referrer" in name for name in names)
    assert names == {
        "facts",
        "recipient_name",
        "address_lines",
        "concerns",
        "sharing",
        "raised_by_professional",
        "language",
        "interpreter_needed",
    }


def test_the_same_data_gives_the_same_bytes() -> None:
    for data in (PROFESSIONAL, FAMILY):
        first, second = render_letter(data, HEAD), render_letter(data, HEAD)
        assert first == second
        assert first.startswith(b"%PDF")
    other_day = dataclasses.replace(FAMILY, facts=dataclasses.replace(FACTS, letter_date=date(2026, 3, 13)))
    assert render_letter(other_day, HEAD) != render_letter(FAMILY, HEAD)


def test_what_people_typed_is_printed_as_typed_not_as_markup() -> None:
    odd = dataclasses.replace(
        FACTS, children=(ChildOutcome("Zoë <b>", "O'Brien & Sons", None, Outcome.NFA),), reference="MASH-0000007"
    )
    text = pdf_text(render_referrer_letter(dataclasses.replace(PROFESSIONAL, facts=odd), HEAD))
    assert "Zoë <b> O'Brien & Sons" in text


def test_a_long_letter_numbers_its_pages() -> None:
    many = tuple(ChildOutcome(f"Child{n}", "Family", None, Outcome.CFA_S17, "Assessment Team") for n in range(30))
    text = pdf_text(
        render_family_letter(dataclasses.replace(FAMILY, facts=dataclasses.replace(FACTS, children=many)), HEAD)
    )
    assert "Page 1 of 3" in text or "Page 1 of 4" in text
    assert "(continued)" in text


def test_template_version_is_a_short_code() -> None:
    assert 0 < len(TEMPLATE_VERSION) <= 20


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").is_file(), reason="no DejaVu fonts on this machine")
def test_a_configured_truetype_font_prints_names_outside_latin_1() -> None:
    head = Letterhead.from_config(
        {
            **json.loads(DEFAULT_SETTINGS[LETTERHEAD]),
            "font": str(DEJAVU / "DejaVuSans.ttf"),
            "font_bold": str(DEJAVU / "DejaVuSans-Bold.ttf"),
        }
    )
    assert head.font_regular is not None
    data = dataclasses.replace(FAMILY, recipient_name="Łukasz Wiśniewski")
    pdf = render_family_letter(data, head)
    assert "Łukasz Wiśniewski" in pdf_text(pdf)
    assert render_family_letter(data, head) == pdf


def test_a_fresh_process_renders_the_same_bytes() -> None:
    """A letter on file can be regenerated later, by another program run, and match its stored hash."""
    import hashlib
    import subprocess
    import sys

    script = (
        "import hashlib\n"
        "from tests.letters.test_render import FAMILY, HEAD, PROFESSIONAL\n"
        "from mash_desk.letters import render_letter\n"
        "print(hashlib.sha256(render_letter(PROFESSIONAL, HEAD)).hexdigest())\n"
        "print(hashlib.sha256(render_letter(FAMILY, HEAD)).hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True, timeout=60
    )
    here = [hashlib.sha256(render_letter(data, HEAD)).hexdigest() for data in (PROFESSIONAL, FAMILY)]
    assert result.stdout.split() == here


def test_a_marac_family_letter_names_neither_domestic_abuse_nor_the_team() -> None:
    """However the case was routed (a team called "Domestic Abuse MARAC Team"), the household is not told."""
    from mash_desk.domain.enums import Concern, ConsentStatus
    from mash_desk.domain.family_letters import concerns_for_family
    from mash_desk.letters import CaseFacts, ChildOutcome, FamilyLetterData, InformationSharing, NamedContact

    contact = NamedContact("Sam Carter", "MASH practitioner", "MASH Team", "01582 547653", None)
    child = ChildOutcome("Amira", "Hussain", date(2019, 5, 4), Outcome.MARAC, "Domestic Abuse MARAC Team", True)
    facts = CaseFacts("MASH-0000042", date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 10), (child,), contact)
    data = FamilyLetterData(
        facts,
        "Omar Hussain",
        ("12 Park Street", "Luton", "LU1 3AB"),
        concerns_for_family((Concern.DOMESTIC_ABUSE, Concern.NEGLECT), [Outcome.MARAC]),
        InformationSharing(ConsentStatus.GIVEN, agencies_asked=("Health",)),
    )
    text = pdf_text(render_letter(data, HEAD)).lower()
    for word in ("domestic", "marac", "abuse"):
        assert word not in text, word
    assert "everyday needs" in text
