"""Checks and normal forms for what people type into a contact: identifiers, dates, phone, e-mail.

Each ``normalise_*`` function returns the one stored form of a value or raises ``InvalidInput`` with
a message a practitioner can act on, so the same child's NHS number or postcode always compares equal.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from mash_desk.domain.errors import InvalidInput

# --- NHS number -------------------------------------------------------------------------------------

_NHS_SEPARATORS = re.compile(r"[\s-]+")


def normalise_nhs_number(text: str) -> str:
    """Return the 10 digits of an NHS number, checking the modulus-11 check digit.

    Spaces and hyphens are allowed in the input ("943 476 5919", "943-476-5919").
    """
    digits = _NHS_SEPARATORS.sub("", text)
    if not digits:
        raise InvalidInput.single("nhs_number", "Enter the NHS number, or leave it blank if it is not known.")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput.single(
            "nhs_number", "An NHS number is made of digits only; spaces and hyphens are allowed between them."
        )
    if len(digits) != 10:
        raise InvalidInput.single(
            "nhs_number",
            f"An NHS number has 10 digits; this one has {len(digits)}.",
        )
    if _nhs_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidInput.single("nhs_number", "This is not a valid NHS number: the check digit does not match.")
    return digits


def _nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits (weights 10 down to 2), or None where none exists."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None  # no NHS number is issued with these first nine digits
    return check


def is_valid_nhs_number(text: str) -> bool:
    """Whether ``text`` is a valid NHS number (spaces and hyphens allowed)."""
    try:
        normalise_nhs_number(text)
    except InvalidInput:
        return False
    return True


def format_nhs_number(text: str) -> str:
    """The NHS number in the 3-3-4 form people read it in: "943 476 5919"."""
    digits = normalise_nhs_number(text)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# --- Postcode ---------------------------------------------------------------------------------------

# BS 7666 letter rules: first letter never Q, V or X; second (AA9…) never I, J or Z; the letter in an
# A9A district is one of ABCDEFGHJKPSTUW and in an AA9A district one of ABEHMNPRVWXY; the inward
# code never uses C, I, K, M, O or V (so a typed O for 0 is caught).
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"  # AA9A
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?:GIR0AA|{_OUTWARD}{_INWARD})")


def normalise_postcode(text: str) -> str:
    """Return a UK postcode in capitals with one space before the inward code ("LU1 2AB").

    Accepts any spacing and case ("lu12ab", " LU1  2AB "), and the special GIR 0AA.
    """
    compact = "".join(text.split()).upper()
    if not compact:
        raise InvalidInput.single("postcode", "Enter the postcode, or leave it blank if it is not known.")
    if not _POSTCODE.fullmatch(compact):
        raise InvalidInput.single(
            "postcode", "This is not a UK postcode. A postcode looks like LU1 2AB or SW1A 1AA; check O and 0."
        )
    return f"{compact[:-3]} {compact[-3:]}"


# --- Unique Pupil Number ----------------------------------------------------------------------------

# The DfE check-letter table: remainder 0..22 maps to these letters (I, O and S are never used).
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(rf"[{_UPN_LETTERS}][0-9]{{11}}[0-9{_UPN_LETTERS}]")


def _codes(*spans: int | tuple[int, int]) -> frozenset[str]:
    found: set[str] = set()
    for span in spans:
        low, high = span if isinstance(span, tuple) else (span, span)
        found.update(f"{code:03d}" for code in range(low, high + 1))
    return frozenset(found)


# Characters 2-4 of a UPN: the school's local authority when it was issued, one of the post-April 1998
# LA codes or a recognised "pseudo LA" code (the DfE's list, as the CIN census rule 1530 gives it).
UPN_LA_CODES: frozenset[str] = _codes(
    (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384), (390, 394),
    420, (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), 815, 816, (820, 823), 825, 826, 830, 831,
    (835, 841), 845, 846, (850, 852), (855, 857), 860, 861, (865, 896), 908, 909, 916, 919, 921, 925, 926,
    928, 929, 931, 933, (935, 938), 940, 941,
)  # fmt: skip


def is_upn_la_code(code: str) -> bool:
    """Whether ``code`` (three digits) is a local authority code a UPN can carry in characters 2-4."""
    return code in UPN_LA_CODES


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter for characters 2-13 of a UPN (weights 2..13, sum mod 23).

    A letter in position 13 (a temporary UPN) counts as its place in the check-letter table.
    """
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else _UPN_LETTERS.index(char)
        total += value * weight
    return _UPN_LETTERS[total % 23]


def normalise_upn(text: str) -> str:
    """Return a Unique Pupil Number in capitals, checking its shape, DfE check letter and LA code."""
    upn = "".join(text.split()).upper()
    if not upn:
        raise InvalidInput.single("upn", "Enter the UPN, or leave it blank if it is not known.")
    if len(upn) != 13:
        raise InvalidInput.single("upn", f"A UPN has 13 characters; this one has {len(upn)}.")
    if not _UPN_SHAPE.fullmatch(upn):
        raise InvalidInput.single(
            "upn",
            "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN); "
            "the letters I, O and S are never used.",
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise InvalidInput.single("upn", "This is not a valid UPN: the check letter does not match.")
    if not is_upn_la_code(upn[1:4]):
        raise InvalidInput.single(
            "upn",
            f"This is not a valid UPN: characters 2 to 4 ({upn[1:4]}) are not a local authority code. "
            "Check them against the school's records.",
        )
    return upn


# --- Dates of birth ---------------------------------------------------------------------------------

OLDEST_AGE = 25  # care leavers are supported up to their 25th birthday
# a pregnancy: the CIN census refuses a referral more than 40 weeks before the (expected) birth (rule 8606)
EXPECTED_BIRTH_DAYS_AHEAD = 280


LA_CODE = re.compile(r"\d{3}")


def normalise_la_code(text: str) -> str:
    """A local authority's three-digit DfE code (821 is Luton), as the census and the hub's settings keep it."""
    code = (text or "").strip()
    if not LA_CODE.fullmatch(code):
        raise InvalidInput.single("la", f"“{text}” is not a local authority code: it is three digits, as in 821.")
    return code


def age_on(dob: date, on: date) -> int:
    """Age in whole years on ``on``; someone born on 29 February turns a year older on 1 March in
    non-leap years."""
    if on < dob:
        raise ValueError(f"{on} is before the date of birth {dob}")
    had_birthday = (on.month, on.day) >= (dob.month, dob.day)
    return on.year - dob.year - (0 if had_birthday else 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day if it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_date_of_birth(dob: date | None, expected: date | None, today: date) -> None:
    """Check a child's date of birth, or an unborn baby's expected date; both may be unknown.

    A date of birth is not in the future nor more than 25 years ago (the 25th birthday may be today:
    care leavers are supported up to 25); an expected date is today or later, at most 40 weeks ahead.
    """
    if dob is not None and expected is not None:
        message = "Give either a date of birth or an expected date of birth, not both."
        raise InvalidInput({"date_of_birth": message, "expected_date_of_birth": message})
    if dob is not None:
        if dob > today:
            raise InvalidInput.single(
                "date_of_birth",
                "The date of birth is in the future. For an unborn baby, give the expected date of birth.",
            )
        if dob < today and age_on(dob, today - timedelta(days=1)) >= OLDEST_AGE:
            raise InvalidInput.single(
                "date_of_birth",
                f"This date of birth makes the person {age_on(dob, today)}: MASH Desk records children "
                f"and care leavers up to their {OLDEST_AGE}th birthday. Check the year.",
            )
    if expected is not None:
        if expected < today:
            raise InvalidInput.single(
                "expected_date_of_birth",
                "The expected date of birth has passed. If the baby has been born, give the date of birth.",
            )
        if expected > today + timedelta(days=EXPECTED_BIRTH_DAYS_AHEAD):
            raise InvalidInput.single(
                "expected_date_of_birth",
                "The expected date of birth is more than 40 weeks away. Check the month and the year.",
            )


# --- Phone and e-mail -------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-().]+")


def normalise_phone(text: str) -> str:
    """Return a UK phone number as its national digits ("01582 123456" → "01582123456").

    Accepts +44 or 0044 for the leading 0 (also "+44 (0)20 …") and spaces, hyphens, brackets, dots.
    """
    compact = _PHONE_SEPARATORS.sub("", text.replace("(0)", ""))
    if not compact:
        raise InvalidInput.single("phone", "Enter a phone number, or leave it blank if there is none.")
    for prefix in ("+44", "0044"):
        if compact.startswith(prefix):
            compact = "0" + compact[len(prefix) :]
            break
    if compact.startswith(("+", "00")):
        raise InvalidInput.single("phone", "Only UK phone numbers can be stored: +44 or a number starting 0.")
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidInput.single(
            "phone", "A phone number is made of digits; spaces, hyphens, brackets and +44 are allowed."
        )
    if not compact.startswith("0"):
        raise InvalidInput.single(
            "phone", "A UK phone number starts with 0 (or +44), including the area code, as in 01582 123456."
        )
    if len(compact) not in (10, 11):
        raise InvalidInput.single(
            "phone",
            f"A UK phone number has 10 or 11 digits including the leading 0; this one has {len(compact)}.",
        )
    return compact


_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_EMAIL_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def normalise_email(text: str) -> str:
    """Return an e-mail address with its domain in lower case, after a simple shape check.

    The part before the @ is kept as typed: some mail systems treat it case-sensitively.
    """
    address = text.strip()
    if not address:
        raise InvalidInput.single("email", "Enter an e-mail address, or leave it blank if there is none.")
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    labels = domain.split(".")
    if (
        not at
        or not _EMAIL_LOCAL.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or len(labels) < 2
        or not all(_EMAIL_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInput.single(
            "email", "This is not an e-mail address. It should look like name@example.gov.uk, with no spaces."
        )
    return f"{local}@{domain}"


# --- Free text --------------------------------------------------------------------------------------


def field_label(field: str) -> str:
    """A field name as people read it: "family_name" → "Family name"."""
    words = field.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def require_text(field: str, value: str | None, *, max_length: int) -> str:
    """Return ``value`` without surrounding spaces, requiring it to be present and not too long."""
    text = (value or "").strip()
    label = field_label(field)
    if not text:
        raise InvalidInput.single(field, f"{label} is required.")
    if len(text) > max_length:
        raise InvalidInput.single(
            field, f"{label} can be at most {max_length} characters; this is {len(text)}. Shorten it."
        )
    return text
