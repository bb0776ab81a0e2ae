"""Tests for identifier, date, phone, e-mail and free-text validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.validation import (
    UPN_LA_CODES,
    add_months,
    age_on,
    check_date_of_birth,
    format_nhs_number,
    is_upn_la_code,
    is_valid_nhs_number,
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    normalise_upn,
    require_text,
    upn_check_letter,
)

FAST = settings(max_examples=150, deadline=None)


def attempt(normalise: Callable[[str], str], text: str) -> tuple[str | None, set[str]]:
    """The normal form of ``text``, or None and the fields a polite refusal named."""
    try:
        return normalise(text), set()
    except InvalidInput as err:
        return None, set(err.field_errors)


def field_message(excinfo: pytest.ExceptionInfo[InvalidInput], field: str) -> str:
    """The message for ``field``, failing if the error names any other field."""
    assert list(excinfo.value.field_errors) == [field]
    return excinfo.value.field_errors[field]


# --- NHS number -------------------------------------------------------------------------------------


def nhs_is_valid_by_definition(digits: str) -> bool:
    """The modulus-11 rule restated: all ten digits weighted 10..1 sum to a multiple of 11."""
    return sum(int(d) * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        ("  943 476-5919 ", "9434765919"),
        ("4010232137", "4010232137"),
        ("1000000060", "1000000060"),  # remainder 0 gives check digit 11, written 0
    ],
)
def test_valid_nhs_numbers_normalise_to_ten_digits(text: str, expected: str) -> None:
    assert normalise_nhs_number(text) == expected
    assert is_valid_nhs_number(text)


@pytest.mark.parametrize("text", ["9434765918", "9434765911", "4010232138"])
def test_wrong_check_digit_is_refused_with_its_own_message(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_nhs_number(text)
    assert field_message(excinfo, "nhs_number") == ("This is not a valid NHS number: the check digit does not match.")
    assert not is_valid_nhs_number(text)


@pytest.mark.parametrize("last", "0123456789")
def test_first_nine_digits_giving_check_ten_are_never_valid(last: str) -> None:
    assert not is_valid_nhs_number("100000001" + last)


@pytest.mark.parametrize(("text", "count"), [("943476591", 9), ("94347659190", 11), ("1", 1)])
def test_wrong_length_message_says_how_many_digits(text: str, count: int) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_nhs_number(text)
    message = field_message(excinfo, "nhs_number")
    assert "10 digits" in message
    assert f"has {count}" in message
    assert "check digit" not in message


@pytest.mark.parametrize("text", ["94347659I9", "943.476.5919", "٩٤٣٤٧٦٥٩١٩", "NHS9434765919"])
def test_non_digits_are_refused_as_such(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_nhs_number(text)
    assert "digits only" in field_message(excinfo, "nhs_number")


def test_empty_nhs_number_asks_for_one() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_nhs_number("  ")
    assert "Enter the NHS number" in field_message(excinfo, "nhs_number")


def test_format_nhs_number_groups_three_three_four() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("943-476-5919") == "943 476 5919"
    with pytest.raises(InvalidInput):
        format_nhs_number("9434765918")


def with_check_digit(nine: str) -> str | None:
    """The valid NHS number starting with ``nine``, or None if no check digit completes it."""
    return next((nine + d for d in "0123456789" if nhs_is_valid_by_definition(nine + d)), None)


valid_nhs_numbers = (
    st.text(alphabet="0123456789", min_size=9, max_size=9)
    .map(with_check_digit)
    .filter(lambda number: number is not None)
)


@FAST
@given(valid_nhs_numbers)
def test_every_number_meeting_the_definition_is_accepted_and_round_trips(digits: str) -> None:
    assert normalise_nhs_number(digits) == digits
    assert normalise_nhs_number(format_nhs_number(digits)) == digits


@FAST
@given(valid_nhs_numbers, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_error_is_caught(digits: str, position: int, shift: int) -> None:
    changed = str((int(digits[position]) + shift) % 10)
    typo = digits[:position] + changed + digits[position + 1 :]
    assert not is_valid_nhs_number(typo)


@FAST
@given(valid_nhs_numbers, st.integers(0, 8))
def test_any_swap_of_neighbouring_digits_is_caught(digits: str, position: int) -> None:
    a, b = digits[position], digits[position + 1]
    swapped = digits[:position] + b + a + digits[position + 2 :]
    assert is_valid_nhs_number(swapped) == (a == b)


@FAST
@given(st.text(max_size=20))
def test_nhs_check_never_fails_other_than_politely(text: str) -> None:
    result, fields = attempt(normalise_nhs_number, text)
    if result is None:
        assert fields == {"nhs_number"}
    else:
        assert re.fullmatch(r"[0-9]{10}", result)
        assert nhs_is_valid_by_definition(result)


# --- Postcode ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LU1 2AB", "LU1 2AB"),
        ("lu12ab", "LU1 2AB"),
        ("  Lu1   2aB ", "LU1 2AB"),
        ("M1 1AE", "M1 1AE"),  # A9
        ("B33 8TH", "B33 8TH"),  # A99
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("DN55 1PT", "DN55 1PT"),  # AA99
        ("W1A 0AX", "W1A 0AX"),  # A9A
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A
        ("SW1A1AA", "SW1A 1AA"),
        ("gir0aa", "GIR 0AA"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes_get_capitals_and_one_space(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "LU1",  # outward code only
        "LU1 2A",
        "LU1 2ABC",
        "LU12 34AB",
        "12345",
        "LU1 2AO",  # O is never used in an inward code: probably a zero
        "LU1 2CB",  # nor C
        "QA1 1AA",  # Q never first
        "AI1 1AA",  # I never second
        "W1I 1AA",  # I is not a district letter in A9A
        "EC1Z 1AA",  # Z is not a district letter in AA9A
        "LU1-2AB",
        "GIR 0AB",
    ],
)
def test_impossible_postcodes_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_postcode(text)
    assert "not a UK postcode" in field_message(excinfo, "postcode")


def test_empty_postcode_asks_for_one() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_postcode("")
    assert "Enter the postcode" in field_message(excinfo, "postcode")


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
postcode_like = st.builds(
    "".join,
    st.lists(st.sampled_from(LETTERS + "0123456789" + " "), min_size=5, max_size=9),
)


@FAST
@given(postcode_like)
def test_normalised_postcodes_are_fixed_points_in_the_stored_shape(text: str) -> None:
    result, fields = attempt(normalise_postcode, text)
    if result is None:
        assert fields == {"postcode"}
        return
    assert re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA", result)
    assert normalise_postcode(result) == result
    assert normalise_postcode(result.lower().replace(" ", "")) == result


# --- UPN --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B801200005001", "B801200005001"),  # sum 93, remainder 1 → B
        ("b801200005001", "B801200005001"),
        (" B80120 0005001 ", "B801200005001"),
        ("M80120000500A", "M80120000500A"),  # temporary UPN: A counts 0, sum 80, remainder 11 → M
        ("B80120000500B", "B80120000500B"),  # B counts 1 at weight 13: sum 93 → B
    ],
)
def test_valid_upns(text: str, expected: str) -> None:
    assert normalise_upn(text) == expected


def test_wrong_upn_check_letter_is_refused() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_upn("A801200005001")
    assert field_message(excinfo, "upn") == "This is not a valid UPN: the check letter does not match."


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("B80120000500", "13 characters; this one has 12"),
        ("B8012000050011", "13 characters; this one has 14"),
        ("880120000500A", "a letter, then 11 digits"),
        ("B80120X005001", "a letter, then 11 digits"),
        ("I801200005001", "I, O and S are never used"),
        ("B80120000500O", "I, O and S are never used"),
    ],
)
def test_badly_shaped_upns_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_upn(text)
    assert fragment in field_message(excinfo, "upn")


def test_upn_from_no_local_authority_is_refused() -> None:
    body = "999200005001"
    with pytest.raises(InvalidInput) as excinfo:
        normalise_upn(upn_check_letter(body) + body)
    assert field_message(excinfo, "upn") == (
        "This is not a valid UPN: characters 2 to 4 (999) are not a local authority code. "
        "Check them against the school's records."
    )


def test_upn_la_codes_are_the_dfe_list() -> None:
    """Spot checks against the DfE's published ranges (001-005, 201-213, ..., 940-941)."""
    assert {"001", "005", "201", "213", "420", "821", "822", "823", "919", "838", "941"} <= UPN_LA_CODES
    assert not {"000", "006", "200", "214", "321", "804", "814", "824", "999", "942", "A21"} & UPN_LA_CODES
    assert len(UPN_LA_CODES) == 193
    assert is_upn_la_code("821")
    assert not is_upn_la_code("82")


@FAST
@given(
    st.sampled_from(sorted(UPN_LA_CODES)),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.integers(0, 11),
    st.integers(1, 9),
)
def test_any_single_upn_digit_error_is_caught(la: str, rest: str, position: int, shift: int) -> None:
    body = la + rest
    upn = upn_check_letter(body) + body
    assert normalise_upn(upn) == upn
    changed = str((int(body[position]) + shift) % 10)
    typo = upn[: position + 1] + changed + upn[position + 2 :]
    with pytest.raises(InvalidInput):
        normalise_upn(typo)


# --- Dates of birth ---------------------------------------------------------------------------------

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 6, 15), date(2025, 6, 14), 14),
        (date(2010, 6, 15), date(2025, 6, 15), 15),
        (date(2004, 2, 29), date(2005, 2, 28), 0),  # a leap-day baby is not a year old on 28 February
        (date(2004, 2, 29), date(2005, 3, 1), 1),  # but is on 1 March
        (date(2004, 2, 29), date(2008, 2, 29), 4),
        (date(2004, 2, 29), date(2008, 2, 28), 3),
        (date(2003, 3, 1), date(2004, 2, 29), 0),
        (date(2020, 1, 1), date(2020, 1, 1), 0),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_age_before_birth_is_a_bug() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


def birthday(born: date, year: int) -> date:
    """The day someone born on ``born`` has their birthday in ``year`` (1 March for 29 Feb in a common year)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@FAST
@given(dates, dates)
def test_age_counts_the_birthdays_that_have_come(a: date, b: date) -> None:
    born, on = min(a, b), max(a, b)
    had = sum(1 for year in range(born.year + 1, on.year + 1) if birthday(born, year) <= on)
    assert age_on(born, on) == had


def test_both_unknown_is_allowed() -> None:
    check_date_of_birth(None, None, TODAY)


@pytest.mark.parametrize(
    "born",
    [TODAY, TODAY - timedelta(days=1), date(2000, 6, 15), date(2000, 6, 16), date(2020, 2, 29)],
)
def test_dates_of_birth_accepted(born: date) -> None:
    check_date_of_birth(born, None, TODAY)


def test_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(TODAY + timedelta(days=1), None, TODAY)
    assert "in the future" in field_message(excinfo, "date_of_birth")


def test_person_past_their_25th_birthday_is_refused() -> None:
    check_date_of_birth(date(2000, 6, 15), None, TODAY)  # 25 today: still a care leaver
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(date(2000, 6, 14), None, TODAY)
    assert "makes the person 25" in field_message(excinfo, "date_of_birth")
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(date(1990, 1, 1), None, TODAY)
    assert "makes the person 35" in field_message(excinfo, "date_of_birth")


def test_25_year_limit_on_leap_day() -> None:
    leap_today = date(2028, 2, 29)
    check_date_of_birth(date(2003, 3, 1), None, leap_today)
    with pytest.raises(InvalidInput):
        check_date_of_birth(date(2003, 2, 28), None, leap_today)


def test_both_dates_given_marks_both_fields() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(date(2020, 1, 1), TODAY + timedelta(days=30), TODAY)
    assert set(excinfo.value.field_errors) == {"date_of_birth", "expected_date_of_birth"}
    assert "not both" in excinfo.value.field_errors["date_of_birth"]


@pytest.mark.parametrize("expected", [TODAY, TODAY + timedelta(days=1), date(2026, 3, 22)])  # 40 weeks ahead
def test_expected_dates_accepted(expected: date) -> None:
    check_date_of_birth(None, expected, TODAY)


def test_expected_date_in_the_past_is_refused() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(None, TODAY - timedelta(days=1), TODAY)
    assert "has passed" in field_message(excinfo, "expected_date_of_birth")


def test_expected_date_more_than_forty_weeks_ahead_is_refused() -> None:
    check_date_of_birth(None, TODAY + timedelta(days=280), TODAY)
    with pytest.raises(InvalidInput) as excinfo:
        check_date_of_birth(None, TODAY + timedelta(days=281), TODAY)
    assert "more than 40 weeks" in field_message(excinfo, "expected_date_of_birth")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 6, 15), 10, date(2026, 4, 15)),
        (date(2025, 5, 31), 10, date(2026, 3, 31)),
        (date(2025, 4, 30), 10, date(2026, 2, 28)),
        (date(2023, 4, 30), 10, date(2024, 2, 29)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- Phone and e-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01582 123456", "01582123456"),
        ("01582-123-456", "01582123456"),
        ("(01582) 123456", "01582123456"),
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+447700900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("+44 (0)20 7946 0000", "02079460000"),
        ("016977 2345", "0169772345"),  # a 10-digit number
        ("0800 123 456", "0800123456"),
    ],
)
def test_uk_phone_numbers_become_national_digits(text: str, expected: str) -> None:
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter a phone number"),
        ("+33 1 23 45 67 89", "Only UK phone numbers"),
        ("0033 1 23 45 67 89", "Only UK phone numbers"),
        ("0800 FLOWERS", "made of digits"),
        ("7700 900123", "starts with 0"),
        ("0158 21234", "this one has 9"),
        ("01582 1234567", "this one has 12"),
    ],
)
def test_bad_phone_numbers_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_phone(text)
    assert fragment in field_message(excinfo, "phone")


@FAST
@given(st.text(alphabet="0123456789 +-()", max_size=18))
def test_phone_normal_form_is_a_fixed_point(text: str) -> None:
    result, fields = attempt(normalise_phone, text)
    if result is None:
        assert fields == {"phone"}
        return
    assert re.fullmatch(r"0[0-9]{9,10}", result)
    assert normalise_phone(result) == result
    assert normalise_phone("+44 " + result[1:]) == result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane.doe@luton.gov.uk", "jane.doe@luton.gov.uk"),
        ("  Jane.Doe@Luton.GOV.UK ", "Jane.Doe@luton.gov.uk"),  # the part before @ is kept as typed
        ("mash+intake@nhs.net", "mash+intake@nhs.net"),
        ("o'neill@school-1.sch.uk", "o'neill@school-1.sch.uk"),
    ],
)
def test_email_lower_cases_only_the_domain(text: str, expected: str) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "jane",
        "jane@",
        "@luton.gov.uk",
        "jane@luton",
        "jane doe@luton.gov.uk",
        "jane@@luton.gov.uk",
        "jane..doe@luton.gov.uk",
        ".jane@luton.gov.uk",
        "jane@-luton.gov.uk",
        "jane@luton..gov.uk",
        "jane@luton.gov.uk.",
        "jane@10.0.0.1",
    ],
)
def test_bad_email_addresses_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_email(text)
    assert "not an e-mail address" in field_message(excinfo, "email")


def test_empty_email_asks_for_one() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        normalise_email(" ")
    assert "Enter an e-mail address" in field_message(excinfo, "email")


@FAST
@given(
    st.from_regex(r"[a-zA-Z0-9._+-]{1,12}", fullmatch=True).filter(
        lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s
    ),
    st.lists(st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,8}", fullmatch=True), min_size=2, max_size=4),
)
def test_email_normal_form_is_a_fixed_point(local: str, labels: list[str]) -> None:
    address = f"{local}@{'.'.join(labels)}"
    result = normalise_email(address)
    assert result == f"{local}@{'.'.join(labels).lower()}"
    assert normalise_email(result) == result


# --- Free text --------------------------------------------------------------------------------------


def test_require_text_strips() -> None:
    assert require_text("family_name", "  Khan \n", max_length=10) == "Khan"


@pytest.mark.parametrize("value", [None, "", "   \t"])
def test_require_text_missing(value: str | None) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        require_text("family_name", value, max_length=10)
    assert field_message(excinfo, "family_name") == "Family name is required."


def test_require_text_length_counts_after_stripping() -> None:
    assert require_text("reason", "  " + "x" * 5 + "  ", max_length=5) == "xxxxx"
    with pytest.raises(InvalidInput) as excinfo:
        require_text("reason", "x" * 6, max_length=5)
    assert field_message(excinfo, "reason") == "Reason can be at most 5 characters; this is 6. Shorten it."
