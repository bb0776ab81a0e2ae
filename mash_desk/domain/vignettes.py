"""Anonymised vignettes: a past contact retold with nobody's name, address, date or number in it.

A vignette keeps what a rater needs to judge the level of need (who is in the household, ages,
concerns, what was said, what agencies know) and loses what would identify the family. Everything
the record knows is replaced consistently within one vignette: each person gets one label ("Child A",
"Mother"), every date moves by the same whole number of weeks (so ages, intervals and weekdays stay
true), and each identifier gets one placeholder. Free text is scanned for every spelling the record
holds of every name, and the other forms of those names (``domain.name_variants``): in any case,
with or without accents and apostrophes, as a possessive, with an initial or a title ("M. Khan",
"Mohammed K", "Mrs Khan"), joined by hyphens. Numbers and addresses that look like identifiers are
replaced even when the record does not know them. A person still reads every vignette before it is
released: a name the record does not know (a teacher, a neighbour) is theirs to catch.

Pure functions, no I/O: the service gathers what the record knows and stores the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mash_desk.domain.name_variants import word_forms
from mash_desk.domain.names import normalise_name, sound_code

APOSTROPHES = "'’‘`´ʼ"
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master"})
MIN_FORM_LENGTH = 3  # a name's other forms shorter than this ("md", "mo") are too often other words
_SPECIAL_FOLDS = {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "æ": "a", "œ": "o", "ß": "s", "þ": "t", "ð": "d"}


def fold_char(char: str) -> str:
    """One character, lower-case and without its accent, still one character (so positions line up)."""
    lower = char.lower()
    if len(lower) != 1:
        lower = char
    if lower in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[lower]
    decomposed = unicodedata.normalize("NFKD", lower)
    base = next((c for c in decomposed if not unicodedata.combining(c)), lower)
    return base if len(base) == 1 else lower


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def name_words(*names: str) -> set[str]:
    """Every word of these names, normalised ("O'Brien-Núñez" → {"obrien", "nunez"}), with the
    hyphenated whole too."""
    words: set[str] = set()
    for name in names:
        normal = normalise_name(name)
        words.update(normal.split())
        if len(normal.split()) > 1:
            words.add(normal.replace(" ", ""))
    return {word for word in words if word}


def with_forms(words: Iterable[str]) -> set[str]:
    """The words and their other forms (Mohammed → Muhammad, Mohd…), leaving out very short forms."""
    found: set[str] = set()
    for word in words:
        found.add(word)
        found.update(form for form in word_forms(word) if len(form) >= MIN_FORM_LENGTH)
    return found


@dataclass(frozen=True)
class KnownPerson:
    """A person on the contact as the record knows them: every spelling of their name it holds."""

    label: str  # "Child A", "Mother"
    names: tuple[tuple[str, str], ...]  # (given names, family name): as recorded, aliases, merged records
    date_of_birth: date | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (what, value): ("NHS number", "9434765919")

    def given_words(self) -> set[str]:
        return with_forms(name_words(*(given for given, _family in self.names)))

    def family_words(self) -> set[str]:
        return with_forms(name_words(*(family for _given, family in self.names)))


@dataclass(frozen=True)
class KnownFacts:
    """What the record knows that must not reach a vignette."""

    people: tuple[KnownPerson, ...]
    shift_days: int  # a whole number of weeks, never zero
    other_names: tuple[tuple[str, str], ...] = ()  # (name, label): the referrer, whoever gave consent
    addresses: tuple[tuple[str, str], ...] = ()  # (address line, postcode or town, label)
    identifiers: tuple[tuple[str, str], ...] = ()  # (value, label): the contact's reference, phone, e-mail
    family_label: str = "Family A"

    def __post_init__(self) -> None:
        if self.shift_days == 0 or self.shift_days % 7:
            raise ValueError("Dates move by a whole number of weeks, and never by none.")


@dataclass
class _Numbering:
    """One placeholder per distinct value, numbered in the order first met: "[phone 1]", "[phone 2]"."""

    seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def label(self, kind: str, value: str) -> str:
        key = (kind, re.sub(r"[\s\-]", "", value).casefold())
        if key not in self.seen:
            count = sum(1 for k in self.seen if k[0] == kind) + 1
            self.seen[key] = f"[{kind} {count}]"
        return self.seen[key]


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?!\.?,?\s+\d{{4}})", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s+(\d{{4}})\b", re.I)
_YEAR = re.compile(r"(?<![\d/.])\b(?:19[3-9]\d|20[0-4]\d)\b(?![/.]?\d)")
_KEPT = re.compile("\x00(\\d+)\x00")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_UPN = re.compile(r"\b[A-Z]\d{11}[A-Z\d]\b", re.I)
_REFERENCE = re.compile(r"\b[A-Z]{2,5}-\d{3,}(?:-\d+)*\b", re.I)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)\d(?:[\s\-]?\d){8,9}\b")
_NHS = re.compile(r"\b\d{3}[\s\-]?\d{3}[\s\-]?\d{4}\b")
# not a date (2026-03-10) nor a span of years (2019-2020): those are moved, not hidden
_LONG_NUMBER = re.compile(r"\b(?!\d{4}-\d{2}-\d{2}\b|(?:19|20)\d{2}-(?:19|20)\d{2}\b)\d(?:[\s\-]?\d){5,}\b")
_STREET_WORDS = (
    "street|road|lane|avenue|close|way|drive|court|crescent|grove|place|gardens|terrace|walk|square|rise|row|mews"
)
_ADDRESS = re.compile(
    rf"\b(?:flat\s+\d+[a-z]?,?\s+)?\d+[a-z]?,?\s+(?:[A-Z][\w'’]*\s+){{1,3}}(?:{_STREET_WORDS})\b", re.I
)


def _month_number(word: str) -> int:
    head = word.lower()[:3]
    return next(i for i, month in enumerate(MONTHS, start=1) if month.startswith(head))


class Anonymiser:
    """Replaces what :class:`KnownFacts` lists, and what looks like an identifier, in any text."""

    def __init__(self, facts: KnownFacts) -> None:
        self.facts = facts
        self.shift = timedelta(days=facts.shift_days)
        self._numbers = _Numbering()
        self._given: dict[str, list[int]] = {}
        self._family: dict[str, list[int]] = {}
        for index, person in enumerate(facts.people):
            for word in person.given_words():
                self._given.setdefault(word, []).append(index)
            for word in person.family_words():
                self._family.setdefault(word, []).append(index)
        labels = [person.label for person in facts.people] + [facts.family_label]
        labels += [label for _value, label in (*facts.other_names, *facts.addresses, *facts.identifiers)]
        self._label_words = set(normalise_name(" ".join(labels)).split())
        self._sounds: dict[str, list[int]] = {}
        for words in (self._given, self._family):
            for word, indexes in words.items():
                code = sound_code(word)
                if len(code) >= 2:
                    self._sounds.setdefault(code, []).extend(indexes)
        known_ids = [(value, label) for value, label in facts.identifiers if value.strip()]
        for person in facts.people:
            known_ids.extend((value, f"[{person.label}'s {what}]") for what, value in person.identifiers if value)
        self._known_ids = sorted(known_ids, key=lambda item: -len(item[0]))

    # --- dates ---------------------------------------------------------------------------------

    def date(self, when: date) -> date:
        return when + self.shift

    def _dates(self, text: str) -> str:
        def day_month_year(m: re.Match[str]) -> str:
            return self._shifted(int(m.group(3)), _month_number(m.group(2)), int(m.group(1)), "long")

        def month_day_year(m: re.Match[str]) -> str:
            return self._shifted(int(m.group(3)), _month_number(m.group(1)), int(m.group(2)), "long")

        def numeric(m: re.Match[str]) -> str:
            year = int(m.group(4))
            year += 2000 if year < 100 and year <= 50 else (1900 if year < 100 else 0)
            return self._shifted(year, int(m.group(3)), int(m.group(1)), "numeric", m.group(2))

        def iso(m: re.Match[str]) -> str:
            return self._shifted(int(m.group(1)), int(m.group(2)), int(m.group(3)), "iso")

        def month_year(m: re.Match[str]) -> str:
            # the middle of the month, moved, names the month the same shift lands in
            try:
                moved = date(int(m.group(2)), _month_number(m.group(1)), 15) + self.shift
            except ValueError:
                return "[a date]"
            return f"{MONTHS[moved.month - 1].title()} {moved.year}"

        # each date moved is set aside until the end, so a year alone is moved once and a moved date never again
        done: list[str] = []

        def keep(render: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
            def kept(m: re.Match[str]) -> str:
                done.append(render(m))
                return f"\x00{len(done) - 1}\x00"

            return kept

        text = _ISO_DATE.sub(keep(iso), text)
        text = _DAY_MONTH_YEAR.sub(keep(day_month_year), text)
        text = _MONTH_DAY_YEAR.sub(keep(month_day_year), text)
        text = _NUMERIC_DATE.sub(keep(numeric), text)
        text = _MONTH_YEAR.sub(keep(month_year), text)
        # a day and month without a year cannot be moved truly: it says no more than "a date"
        text = _DAY_MONTH.sub("[a date]", text)
        # a year alone moves by the whole years the shift comes to, so "a caution in 2021" keeps its distance
        years = round(self.facts.shift_days / 365.25)
        text = _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)
        return _KEPT.sub(lambda m: done[int(m.group(1))], text)

    def _shifted(self, year: int, month: int, day: int, style: str, separator: str = "/") -> str:
        try:
            moved = date(year, month, day) + self.shift
        except ValueError:
            return "[a date]"
        if style == "iso":
            return moved.isoformat()
        if style == "numeric":
            return f"{moved.day:02d}{separator}{moved.month:02d}{separator}{moved.year}"
        return long_date(moved)

    # --- identifiers and addresses -------------------------------------------------------------

    def _known(self, text: str) -> str:
        """What the record itself holds: identifiers, addresses and the names of people not on the
        contact (the referrer), longest first so a whole address goes before its postcode."""
        known = [*self._known_ids, *self.facts.addresses, *self.facts.other_names]
        for value, label in sorted(known, key=lambda item: -len(item[0])):
            if value.strip():
                text = _flexible(value).sub(label, text)
        return text

    def _identifiers(self, text: str) -> str:
        text = _EMAIL.sub(lambda m: self._numbers.label("e-mail", m.group(0)), text)
        text = _UPN.sub(lambda m: self._numbers.label("pupil number", m.group(0)), text)
        text = _REFERENCE.sub(lambda m: self._numbers.label("reference", m.group(0)), text)
        text = _POSTCODE.sub(lambda m: self._numbers.label("postcode", m.group(0)), text)
        text = _PHONE.sub(lambda m: self._numbers.label("phone", m.group(0)), text)
        text = _NHS.sub(lambda m: self._numbers.label("NHS number", m.group(0)), text)
        return _LONG_NUMBER.sub(lambda m: self._numbers.label("number", m.group(0)), text)

    # --- names -----------------------------------------------------------------------------------

    def _names(self, text: str) -> str:
        folded = fold(text)
        tokens = list(_TOKEN.finditer(folded))
        out: list[str] = []
        cursor = 0
        i = 0
        while i < len(tokens):
            run = self._run_at(text, tokens, i)
            if run is None:
                i += 1
                continue
            end_index, label = run
            start = tokens[i].start()
            end = tokens[end_index].end()
            last = tokens[end_index].group(0)
            suffix = "'s" if _POSSESSIVE.search(last) else ""
            out.append(text[cursor:start])
            out.append(label + suffix)
            cursor = end
            i = end_index + 1
        out.append(text[cursor:])
        return "".join(out)

    def _kind(self, token: str, raw: str = "", mid_sentence: bool = False) -> tuple[set[int], set[int]]:
        """(people it is a given name of, people it is a family name of). A capitalised word in the
        middle of a sentence that sounds like one of their names counts too (Ayesha for Aisha)."""
        word = _plain(_POSSESSIVE.sub("", token))
        given, family = set(self._given.get(word, ())), set(self._family.get(word, ()))
        if (
            not (given or family)
            and mid_sentence
            and raw[:1].isupper()
            and len(word) >= MIN_FORM_LENGTH
            and word not in self._label_words
        ):
            given = set(self._sounds.get(sound_code(word), ()))
        return given, family

    def _run_at(self, text: str, tokens: Sequence[re.Match[str]], i: int) -> tuple[int, str] | None:
        """(index of the run's last token, its label) if a name starts at token ``i``."""
        people: list[set[int]] = []
        j = i
        last_name = -1
        while j < len(tokens):
            token = tokens[j]
            if j > i and not _joined(text[tokens[j - 1].end() : token.start()]):
                break
            raw = text[token.start() : token.end()]
            given, family = self._kind(token.group(0), raw, _mid_sentence(text, token.start()))
            initial = len(raw) == 1 and raw.isupper()
            title = _plain(token.group(0)) in TITLES and raw[:1].isupper()
            if given or family:
                people.append(given | family)
                last_name = j
                if _POSSESSIVE.search(token.group(0)):
                    break
            elif initial and j > i and last_name == j - 1:
                last_name = j  # "Mohammed K": a surname's initial after a given name
            elif (initial or title) and j + 1 < len(tokens) and _joined(text[token.end() : tokens[j + 1].start()]):
                pass  # "M. Khan", "Mrs Khan": part of the name only if a name follows
            else:
                break
            j += 1
        if last_name < 0:
            return None
        return last_name, self._label_for(people)

    def _label_for(self, people: list[set[int]]) -> str:
        counts: dict[int, int] = {}
        for candidates in people:
            for index in candidates:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return self.facts.family_label
        best = max(counts.values())
        chosen = [index for index, count in counts.items() if count == best]
        if len(chosen) > 1 and all(len(c) > 1 for c in people):
            return self.facts.family_label  # a surname alone, shared by several of the family
        return self.facts.people[min(chosen)].label

    # --- all together ----------------------------------------------------------------------------

    def text(self, text: str | None) -> str:
        """``text`` with every known name, address, date and identifier replaced."""
        if not text:
            return ""
        text = self._known(text)
        text = self._identifiers(text)
        text = self._dates(text)
        text = _ADDRESS.sub(lambda m: self._numbers.label("address", m.group(0)), text)
        return self._names(text)

    def leftovers(self, text: str) -> list[str]:
        """Words of ``text`` that are still a known name (for the reviewer; empty when all went)."""
        found: list[str] = []
        for token in _TOKEN.finditer(fold(text)):
            raw = text[token.start() : token.end()]
            given, family = self._kind(token.group(0), raw, _mid_sentence(text, token.start()))
            if given or family:
                found.append(text[token.start() : token.end()])
        return found


_TOKEN = re.compile(rf"[a-z0-9]+(?:[{APOSTROPHES}][a-z0-9]+)*[{APOSTROPHES}]?")
_POSSESSIVE = re.compile(rf"(?:[{APOSTROPHES}]s|(?<=s)[{APOSTROPHES}])$", re.I)


def _plain(token: str) -> str:
    return "".join(c for c in token if c.isalnum())


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?:;\n\"'“‘(-"


def _joined(between: str) -> bool:
    """Two name words belong to one name when only a space, a hyphen or an initial's stop parts them."""
    return bool(re.fullmatch(r"\.?[\s\-]{1,3}|\.", between))


def _flexible(value: str) -> re.Pattern[str]:
    """A known value as written, or spaced, hyphenated, cased or accented differently."""
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", value.strip()) if part]
    if len(parts) == 1 and value.strip().isdigit():
        digits = value.strip()
        return re.compile(r"(?<!\d)" + r"[\s\-]?".join(re.escape(d) for d in digits) + r"(?!\d)")
    return re.compile(r"(?<!\w)" + r"[\s\-,]+".join(parts) + r"(?!\w)", re.I)


def long_date(when: date) -> str:
    return f"{when.day} {MONTHS[when.month - 1].title()} {when.year}"


def age_words(born: date, on: date) -> str:
    """ "6 years 3 months", "11 weeks" for a baby, "unborn" before birth."""
    if on < born:
        return "unborn"
    days = (on - born).days
    if days < 7 * 13:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    months = (on.year - born.year) * 12 + on.month - born.month - (1 if on.day < born.day else 0)
    years, months = divmod(months, 12)
    if years == 0:
        return f"{months} month{'s' if months != 1 else ''}"
    more = f" {months} month{'s' if months != 1 else ''}" if months else ""
    return f"{years} year{'s' if years != 1 else ''}{more}"
