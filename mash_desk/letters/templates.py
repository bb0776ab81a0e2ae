"""The letters' wording, read from TOML templates in ``resources/letters/`` and checked whole.

A council changes its wording there without touching code. Each text is a ``string.Template``
(``$reference``, ``${name}``; ``$$`` for a dollar sign): substitution only, never code. Every key the
letters use must be present, use only the placeholders listed for it in ``_SPEC``, and have a text
for every outcome, concern and legal basis; a broken file stops the letter with ``LetterTemplateError``
naming the file and key, before anything is rendered or stored.

Texts shown in a paragraph are markup: the template's own ``<b>``/``</b>`` make bold, everything
else (template text and every value) is escaped, so a name like "Smith & Sons <Ltd>" prints as typed.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from mash_desk.domain.enums import Concern, Outcome, OverrideBasis
from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.family_letters import DOMESTIC_ABUSE_OUTCOMES
from mash_desk.letters.model import RESOURCES_DIR, TEMPLATE_VERSION

TEMPLATES_DIR = RESOURCES_DIR / "letters"
FILES = ("common", "referrer", "family")

# words a family letter about a MARAC outcome must never show: MARAC is the domestic abuse risk
# conference, and the person who is feared may live in the household or read the post (DOMAIN §8)
MARAC_FORBIDDEN = ("domestic", "abuse", "marac")
_BOLD = re.compile(r"</?b>")


class LetterTemplateError(MashDeskError):
    """The letter templates are missing or broken: no letter can be made until they are fixed."""


class Markup(str):
    """Paragraph markup already escaped: inserted into a template as it is."""

    __slots__ = ()


def key_of(member: Enum) -> str:
    """An outcome's, concern's or legal basis's key in the templates: its name in lower case (``cfa_s17``)."""
    return member.name.lower()


# --- what the letters use: every key, and the placeholders each may use ----------------------------

_TEXT = "text"  # plain text: drawn on the page or in a table heading, no markup
_MARKUP = "markup"  # a paragraph: <b> allowed, everything else escaped
_LIST = "list"  # a list of plain texts


def _spec() -> dict[str, tuple[str, frozenset[str]]]:
    spec: dict[str, tuple[str, frozenset[str]]] = {}

    def add(kind: str, prefix: str, keys: Iterable[str], *placeholders: str) -> None:
        for key in keys:
            spec[f"{prefix}.{key}" if prefix else key] = (kind, frozenset(placeholders))

    outcomes = [key_of(outcome) for outcome in Outcome]
    add(_LIST, "common", ["months"])
    add(_TEXT, "common", ["and", "date_of_birth_unknown"])
    add(_TEXT, "common", ["many_children"], "count")
    add(_TEXT, "common.page", ["telephone", "out_of_hours"], "phone")
    add(_TEXT, "common.page", ["continued"], "reference")
    add(_TEXT, "common.page", ["footer"], "reference", "marking")
    add(_TEXT, "common.page", ["number"], "page", "pages")
    add(_TEXT, "common.reference_block", ["our_reference", "date", "please_ask_for", "telephone", "email"])
    add(_MARKUP, "common.who_to_contact", ["title"])
    add(_MARKUP, "common.who_to_contact", ["telephone"], "phone")
    add(_MARKUP, "common.who_to_contact", ["email"], "email")
    add(_MARKUP, "common.who_to_contact", ["quote"], "reference")
    add(_MARKUP, "common.sign_off", ["closing"])

    add(_TEXT, "referrer", ["address_marking", "footer_marking", "recipient_unknown"])
    add(_TEXT, "referrer", ["title"], "reference")
    add(_MARKUP, "referrer", ["greeting_named"], "name")
    add(_MARKUP, "referrer", ["greeting_professional", "greeting_public", "decision_heading"])
    add(_MARKUP, "referrer", ["heading"], "children")
    add(_MARKUP, "referrer.professional", ["intro"], "received", "steps")
    add(_LIST, "referrer.professional", ["table"])
    add(_MARKUP, "referrer.professional", ["role_heading"])
    add(_MARKUP, "referrer.professional.steps", ["manager_authorised", "decided"], "decided")
    add(_MARKUP, "referrer.professional.steps", ["screened_and_checked", "screened", "checked", "neither"], "decision")
    add(_MARKUP, "referrer.professional.next_step", ["no_team", "team_unknown"])
    add(_MARKUP, "referrer.professional.next_step", ["accepted", "passed"], "team")
    add(_MARKUP, "referrer.professional.decision", outcomes)
    add(_MARKUP, "referrer.professional.role", outcomes)
    add(_MARKUP, "referrer.public", ["intro"], "received", "decided")
    add(_LIST, "referrer.public", ["table"])
    add(_MARKUP, "referrer.public", ["privacy"])
    add(_MARKUP, "referrer.public.decision", outcomes)
    add(_MARKUP, "referrer.still_worried", ["title", "professional", "danger"])
    add(_MARKUP, "referrer.still_worried", ["again"], "phone", "reference")
    add(_MARKUP, "referrer.still_worried", ["out_of_hours"], "out_of_hours")

    add(_TEXT, "family", ["marking"])
    add(_TEXT, "family", ["title"], "reference")
    add(_TEXT, "family", ["recipient_unknown"], "children")
    add(_MARKUP, "family", ["greeting_named"], "name")
    add(_MARKUP, "family", ["heading"], "children")
    add(_MARKUP, "family", ["intro"], "received", "who", "children")
    add(_MARKUP, "family", ["worry"], "concerns")
    add(_MARKUP, "family", ["decided_on"], "decided")
    add(_MARKUP, "family", ["support_team"], "team")
    add(_MARKUP, "family", ["records"], "email")
    add(_MARKUP, "family", ["complaint"], "worker", "organisation", "email", "phone")
    add(_MARKUP, "family", ["language"], "phone")
    add(_MARKUP, "family", ["interpreter_language"], "language")
    add(
        _MARKUP,
        "family",
        [
            "greeting_unnamed",
            "raised_by_professional",
            "raised_by_someone",
            "worry_heading",
            "worry_unspecified",
            "decision_heading",
            "support_heading",
            "sharing_heading",
            "records_heading",
            "complaint_heading",
            "interpreter",
        ],
    )
    add(_LIST, "family", ["table"])
    add(_MARKUP, "family.sharing", ["record", "override_reason_unknown", "consent_given", "not_shared"])
    add(_MARKUP, "family.sharing", ["override"], "reason")
    add(_MARKUP, "family.sharing", ["asked"], "agencies")
    add(_MARKUP, "family.safety", ["title", "danger"])
    add(_MARKUP, "family.safety", ["call"], "phone", "out_of_hours")
    add(_MARKUP, "family.decision", outcomes)
    add(_MARKUP, "family.support", outcomes)
    add(_MARKUP, "family.concern", [key_of(concern) for concern in Concern])
    add(_MARKUP, "family.override_reason", [key_of(basis) for basis in OverrideBasis])
    return spec


_SPEC = _spec()


def _shown_in_a_marac_family_letter(key: str) -> bool:
    """Whether a family letter about a MARAC outcome can show this text (the concern texts aside)."""
    marac = {key_of(outcome) for outcome in DOMESTIC_ABUSE_OUTCOMES}
    if key.startswith(("family.decision.", "family.support.")):
        return key.rsplit(".", 1)[1] in marac
    return key.startswith(("common.", "family.")) and not key.startswith("family.concern.")


# --- reading and checking --------------------------------------------------------------------------


def _flatten(table: Mapping[str, object], prefix: str) -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key))
        else:
            flat[key] = value
    return flat


def _problems(key: str, value: object) -> list[str]:
    """What is wrong with one text (an empty list when nothing is)."""
    if key not in _SPEC:
        return ["is not a text the letters use (a misspelt key?)"]
    kind, allowed = _SPEC[key]
    if kind == _LIST:
        if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
            return ["must be a list of texts"]
        texts: list[str] = value
    elif not isinstance(value, str) or not value.strip():
        return ["must be a text, and not empty"]
    else:
        texts = [value]
    found: list[str] = []
    for text in texts:
        template = Template(text)
        if not template.is_valid():
            found.append("has a $ that is not a placeholder (write $$ for a dollar sign)")
            continue
        unknown = sorted(set(template.get_identifiers()) - allowed)
        if unknown:
            may = ", ".join(f"${name}" for name in sorted(allowed)) or "none"
            found.append(f"uses {', '.join('$' + name for name in unknown)}; the placeholders it may use: {may}")
        tags = _BOLD.findall(text)
        if kind != _MARKUP and tags:
            found.append("cannot be bold (<b> is for paragraphs only)")
        elif tags != ["<b>", "</b>"] * (len(tags) // 2):
            found.append("has a <b> without its </b> (or the other way round)")
        words = text.lower()
        forbidden: tuple[str, ...] = MARAC_FORBIDDEN
        if key.startswith("family.concern.") and key != f"family.concern.{key_of(Concern.DOMESTIC_ABUSE)}":
            forbidden = ("domestic", "marac")  # any concern but domestic abuse may be named in a MARAC letter
        elif not _shown_in_a_marac_family_letter(key):
            forbidden = ()
        said = [word for word in forbidden if word in words]
        if said:
            found.append(
                f"says {', '.join(repr(word) for word in said)}, and a family letter about a MARAC outcome can show "
                "it: the household must not be told the contact was about domestic abuse"
            )
    return found


@dataclass(frozen=True)
class LetterWording:
    """Every text of both letters, checked, keyed ``file.table.key`` (``family.decision.marac``)."""

    folder: Path
    texts: Mapping[str, str | tuple[str, ...]]

    @cached_property
    def digest(self) -> str:
        """A fingerprint of the words themselves (not of the files' layout or comments)."""
        canonical = json.dumps(dict(sorted(self.texts.items())), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def version(self) -> str:
        """What a letter printed with these words records: ``TEMPLATE_VERSION`` for the wording shipped
        with the program, and with a council's own words that version and the first eight characters of
        their fingerprint (``2026.2-1f0c9a7e``), so a letter on file always says which words it carried."""
        if self.folder == TEMPLATES_DIR or self.digest == load_wording().digest:
            return TEMPLATE_VERSION
        return f"{TEMPLATE_VERSION}-{self.digest[:8]}"

    @cached_property
    def standard_fonts_print_it(self) -> bool:
        """Whether Helvetica (WinAnsi, cp1252: the en dash in "Official – sensitive" too) prints every text."""
        try:
            for value in self.texts.values():
                for text in (value,) if isinstance(value, str) else value:
                    text.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True

    def text(self, key: str, **values: object) -> str:
        """A plain text (page furniture, table headings), placeholders filled in as given."""
        template = self.texts[key]
        assert isinstance(template, str), key
        return Template(template).substitute({name: str(value) for name, value in values.items()})

    def markup(self, key: str, **values: object) -> Markup:
        """A paragraph's markup: the template's <b> kept, the rest of it and every value escaped
        (a ``Markup`` value is already escaped and goes in as it is)."""
        template = self.texts[key]
        assert isinstance(template, str), key
        safe = escape(template).replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
        filled = {name: value if isinstance(value, Markup) else escape(str(value)) for name, value in values.items()}
        return Markup(Template(safe).substitute(filled))

    def items(self, key: str) -> tuple[str, ...]:
        """A list of plain texts (table headings, month names)."""
        value = self.texts[key]
        assert isinstance(value, tuple), key
        return value


def load_wording(folder: Path | None = None) -> LetterWording:
    """The letter templates in ``folder`` (the shipped ones by default), read and checked;
    ``LetterTemplateError`` if any is unusable.

    Read again only when a file changes, so an edited template is used from the next letter on.
    """
    folder = folder or TEMPLATES_DIR
    stamps: list[tuple[str, int, int]] = []
    for name in FILES:
        path = folder / f"{name}.toml"
        try:
            stat = path.stat()
        except OSError:
            raise LetterTemplateError(
                f"The letter template {path} is missing, so no letter can be made. Reinstall the program or "
                "restore the file."
            ) from None
        stamps.append((name, stat.st_mtime_ns, stat.st_size))
    return _load(folder, tuple(stamps))


@lru_cache(maxsize=4)
def _load(folder: Path, _stamps: tuple[tuple[str, int, int], ...]) -> LetterWording:
    texts: dict[str, str | tuple[str, ...]] = {}
    errors: list[str] = []
    for name in FILES:
        path = folder / f"{name}.toml"
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise LetterTemplateError(
                f"The letter template {path} cannot be read ({exc}), so no letter can be made."
            ) from exc
        for key, value in _flatten(document, name).items():
            errors += [f"{path.name}: {key.split('.', 1)[1]} {problem}" for problem in _problems(key, value)]
            texts[key] = tuple(value) if isinstance(value, list) else str(value)
    missing = sorted(key for key in _SPEC if key not in texts)
    errors += [f"{key.split('.', 1)[0]}.toml: {key.split('.', 1)[1]} is missing" for key in missing]
    if not errors and len(texts["common.months"]) != 12:
        errors.append("common.toml: months must name the twelve months, January first")
    if errors:
        shown = "; ".join(errors[:10]) + (f"; and {len(errors) - 10} more" if len(errors) > 10 else "")
        raise LetterTemplateError(f"The letter templates in {folder} need fixing before any letter is made: {shown}.")
    return LetterWording(folder, texts)
