"""The letters' wording templates (``resources/letters/``): every one renders, for every outcome, recipient
and family-letter variant; a MARAC family letter never says domestic abuse; a broken template stops the
letter loudly, naming the file and the key."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
from datetime import date
from itertools import product
from pathlib import Path

import pytest
from pypdf import PdfReader

from mash_desk.domain.enums import Concern, ConsentStatus, Outcome, OverrideBasis
from mash_desk.domain.family_letters import DOMESTIC_ABUSE_OUTCOMES, concerns_for_family
from mash_desk.letters import (
    TEMPLATE_VERSION,
    TEMPLATES_DIR,
    CaseFacts,
    ChildOutcome,
    FamilyLetterData,
    InformationSharing,
    LetterData,
    Letterhead,
    LetterTemplateError,
    LetterWording,
    ReferrerLetterData,
    load_wording,
    render_letter,
)
from mash_desk.letters.templates import FILES, key_of
from mash_desk.services.policy import DEFAULT_SETTINGS, LETTERHEAD
from tests.letters.test_render import FACTS, FAMILY, HEAD, PROFESSIONAL, WORKER, pdf_text

WORDING = load_wording()
LETTERHEAD_CONFIG = json.loads(DEFAULT_SETTINGS[LETTERHEAD])
SHARING = [
    InformationSharing(ConsentStatus.GIVEN, agencies_asked=("Health", "Police")),
    InformationSharing(ConsentStatus.GIVEN),
    InformationSharing(ConsentStatus.REFUSED, agencies_asked=("Health",)),
    InformationSharing(ConsentStatus.NOT_SOUGHT, True, None, ("Police",)),
    *[InformationSharing(ConsentStatus.NOT_POSSIBLE, True, basis, ("School",)) for basis in OverrideBasis],
]


def facts_for(outcome: Outcome, team: str | None = "Assessment Team", accepted: bool = True) -> CaseFacts:
    child = ChildOutcome("Amira", "Hussain", date(2019, 5, 4), outcome, team, accepted)
    return dataclasses.replace(FACTS, children=(child,))


def family_variants(outcome: Outcome) -> list[FamilyLetterData]:
    """Every family letter shape for one outcome: who raised it, each way information was shared, the
    concerns (every one the letter may name), the interpreter, a named and an unnamed addressee."""
    facts = facts_for(outcome, "Domestic Abuse MARAC Team" if outcome in DOMESTIC_ABUSE_OUTCOMES else "Assessment Team")
    concerns = concerns_for_family(list(Concern), [outcome])
    letters = [
        dataclasses.replace(
            FAMILY, facts=facts, raised_by_professional=professional, sharing=sharing, concerns=concerns
        )
        for professional, sharing in product((False, True), SHARING)
    ]
    letters += [
        dataclasses.replace(FAMILY, facts=facts, concerns=(), recipient_name=None, interpreter_needed=False),
        dataclasses.replace(FAMILY, facts=facts, language=None),
    ]
    return letters


def referrer_variants(outcome: Outcome) -> list[ReferrerLetterData]:
    letters: list[ReferrerLetterData] = []
    for team, accepted in ((None, False), ("Assessment Team", False), ("Assessment Team", True)):
        facts = facts_for(outcome, team, accepted)
        letters += [
            dataclasses.replace(PROFESSIONAL, facts=facts),
            ReferrerLetterData(facts, True, None),
            ReferrerLetterData(facts, False, "Pat Neighbour"),
            ReferrerLetterData(facts, False, None),
        ]
    no_birthday = dataclasses.replace(facts_for(outcome), children=(ChildOutcome("Yusuf", "Hussain", None, outcome),))
    letters.append(dataclasses.replace(PROFESSIONAL, facts=no_birthday))
    for screened, checked, authorised in product((False, True), repeat=3):
        facts = dataclasses.replace(
            facts_for(outcome), screened=screened, agencies_checked=checked, authorised_by_manager=authorised
        )
        letters.append(dataclasses.replace(PROFESSIONAL, facts=facts))
    return letters


def read(data: LetterData, wording: LetterWording = WORDING) -> tuple[str, str]:
    """The letter's text, and its PDF title."""
    reader = PdfReader(io.BytesIO(render_letter(data, HEAD, wording)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))
    assert reader.metadata is not None
    return text, str(reader.metadata.title)


def plain(template: str) -> str:
    return re.sub(r"\s+", " ", template.replace("<b>", "").replace("</b>", ""))


def fragments(template: str) -> list[str]:
    """The template's words between its placeholders, as they print."""
    return [part.strip() for part in re.split(r"\$\{?\w+\}?", plain(template).replace("$$", "$")) if part.strip()]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, Outcome], list[tuple[str, str]]]:
    texts: dict[tuple[str, Outcome], list[tuple[str, str]]] = {}
    for outcome in Outcome:
        texts["family", outcome] = [read(data) for data in family_variants(outcome)]
        texts["referrer", outcome] = [read(data) for data in referrer_variants(outcome)]
    return texts


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_letter_renders_its_outcome_in_the_templates_words(
    rendered: dict[tuple[str, Outcome], list[tuple[str, str]]], outcome: Outcome
) -> None:
    key = key_of(outcome)
    for text, _title in rendered["family", outcome]:
        assert plain(WORDING.text(f"family.decision.{key}")) in text
        assert plain(WORDING.text(f"family.support.{key}")) in text
        assert "$" not in text  # no placeholder left unfilled
    professional, public = rendered["referrer", outcome][0], rendered["referrer", outcome][2]
    assert plain(WORDING.text(f"referrer.professional.decision.{key}")) in professional[0]
    assert plain(WORDING.text(f"referrer.professional.role.{key}")) in professional[0]
    assert plain(WORDING.text(f"referrer.public.decision.{key}")) in public[0]
    assert all("$" not in text for text, _title in rendered["referrer", outcome])


def test_every_text_in_the_templates_is_printed_by_some_letter(
    rendered: dict[tuple[str, Outcome], list[tuple[str, str]]],
) -> None:
    """Nothing in the templates is dead: each text's words (between placeholders) appear in a letter."""
    everything = " ".join(text for letters in rendered.values() for text, _title in letters).lower()
    titles = {title for letters in rendered.values() for _text, title in letters}
    unused: list[str] = []
    for key, value in WORDING.texts.items():
        if key in ("family.title", "referrer.title"):
            if not any(all(part in title for part in fragments(value)) for title in titles if isinstance(value, str)):
                unused.append(key)
            continue
        for template in (value,) if isinstance(value, str) else value:
            if key == "common.months":
                continue  # March and May are enough: the dates are checked in test_render
            if not all(part.lower() in everything for part in fragments(template)):  # a marking is in capitals
                unused.append(f"{key}: {template!r}")
    assert unused == []


@pytest.mark.parametrize("outcome", sorted(DOMESTIC_ABUSE_OUTCOMES))
def test_a_marac_family_letter_never_says_domestic_abuse_in_any_variant(
    rendered: dict[tuple[str, Outcome], list[tuple[str, str]]], outcome: Outcome
) -> None:
    for text, title in rendered["family", outcome]:
        for word in ("domestic", "abuse", "marac"):
            assert word not in text.lower(), (word, text)
            assert word not in title.lower()


def test_several_children_with_different_outcomes_each_get_their_words() -> None:
    children = tuple(
        ChildOutcome(f"Child{n}", "Family", None, outcome, "Assessment Team", bool(n % 2))
        for n, outcome in enumerate(Outcome)
    )
    facts = dataclasses.replace(FACTS, children=children)
    family, _title = read(dataclasses.replace(FAMILY, facts=facts))
    professional, _title = read(dataclasses.replace(PROFESSIONAL, facts=facts))
    assert f"{len(children)} children" in professional
    for outcome in Outcome:
        assert plain(WORDING.text(f"family.decision.{key_of(outcome)}")) in family
        assert plain(WORDING.text(f"referrer.professional.role.{key_of(outcome)}")) in professional


# --- a council's own wording ----------------------------------------------------------------------


@pytest.fixture
def council(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    shutil.copytree(TEMPLATES_DIR, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_council_changes_its_wording_without_touching_code(council: Path) -> None:
    edit(
        council,
        "family",
        'nfa = "We do not need to do anything more."',
        'nfa = "Children & Families <Luton> need do <b>nothing</b> more, $$0 to pay."',
    )
    edit(council, "common", '"Yours sincerely,"', '"Yours faithfully,"')
    wording = load_wording(council)
    text, _title = read(dataclasses.replace(FAMILY, facts=facts_for(Outcome.NFA)), wording)
    assert "Children & Families <Luton> need do nothing more, $0 to pay." in text
    assert "Yours faithfully," in text
    assert "Yours sincerely" not in text
    # a letter records the words it was printed with: changed words, a changed version
    assert wording.version == f"{TEMPLATE_VERSION}-{wording.digest[:8]}"
    assert len(wording.version) <= 20  # letter.template_version is a String(20)


def test_a_copy_of_the_shipped_wording_is_the_shipped_version(council: Path) -> None:
    (council / "common.toml").write_text(
        "# our copy, comments and all\n" + (council / "common.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert load_wording(council).version == TEMPLATE_VERSION
    assert load_wording().version == TEMPLATE_VERSION


def test_welsh_wording_gets_the_letterheads_truetype_font(council: Path) -> None:
    edit(council, "family", '"Dear parent or carer,"', '"Annwyl riant neu ofalwr, ŵ ŷ"')
    text, _title = read(dataclasses.replace(FAMILY, recipient_name=None), load_wording(council))
    assert HEAD.font_regular is not None
    assert "Annwyl riant neu ofalwr, ŵ ŷ" in text


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("family", 'title = "Letter to the family, $reference"', 'title = "Letter $referenc"', "$referenc"),
        ("family", 'marac = "We have shared', 'marac = "Domestic abuse: we have shared', "domestic abuse"),
        ("family", 'gangs = "a child', 'gangs = "MARAC: a child', "'marac'"),
        ("common", "sign_off]\nclosing", "sign_off]\nclosng", "closng is not a text the letters use"),
        ("common", "sign_off]\nclosing", "sign_off]\nclosng", "closing is missing"),
        ("referrer", 'heading = "The outcome', 'heading = "<b>The outcome', "<b> without its </b>"),
        ("referrer", 'title = "Outcome letter', 'title = "<b>Outcome</b> letter', "cannot be bold"),
        ("referrer", "Dear colleague,", "Dear colleague, $5", "write $$ for a dollar sign"),
        ("referrer", 'table = ["Child", "What we decided"]', "table = []", "must be a list of texts"),
        ("family", 'nfa = "We do not need to do anything more."', 'nfa = ""', "must be a text"),
        ("common", "months = [", "months = [ 'Smarch',", "twelve months"),
        ("family", 'marking = "Private', 'marking = Private"', "cannot be read"),
    ],
)
def test_a_broken_template_stops_the_letter_naming_the_file_and_the_key(
    council: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(council, name, old, new)
    with pytest.raises(LetterTemplateError) as caught:
        load_wording(council)
    assert message.lower() in str(caught.value).lower()
    assert f"{name}.toml" in str(caught.value)


@pytest.mark.parametrize("name", FILES)
def test_a_missing_template_stops_the_letter(council: Path, name: str) -> None:
    (council / f"{name}.toml").unlink()
    with pytest.raises(LetterTemplateError, match=f"{name}.toml is missing"):
        load_wording(council)


def test_an_edited_template_is_read_again(council: Path) -> None:
    before = load_wording(council)
    edit(council, "common", '"Yours sincerely,"', '"Yours truly,"')
    after = load_wording(council)
    assert before.text("common.sign_off.closing") == "Yours sincerely,"
    assert after.text("common.sign_off.closing") == "Yours truly,"


def test_the_shipped_wording_is_what_a_letter_uses_by_default() -> None:
    assert load_wording() is load_wording()  # read once, not per letter
    assert render_letter(FAMILY, HEAD) == render_letter(FAMILY, HEAD, WORDING)
    assert WORKER.name in read(FAMILY)[0]


def test_the_letterhead_names_a_councils_own_wording_folder(council: Path) -> None:
    """A folder outside the program (``templates`` in the letterhead setting) survives an upgrade."""
    edit(council, "common", '"Yours sincerely,"', '"With best wishes,"')
    head = dataclasses.replace(HEAD, templates=council)
    assert "With best wishes," in read_with(FAMILY, head)
    assert Letterhead.from_config({**LETTERHEAD_CONFIG, "templates": str(council)}).templates == council
    assert Letterhead.from_config({**LETTERHEAD_CONFIG, "templates": "letters"}).templates == TEMPLATES_DIR
    assert Letterhead.from_config(LETTERHEAD_CONFIG).templates is None
    missing = dataclasses.replace(HEAD, templates=council / "no-such-folder")
    with pytest.raises(LetterTemplateError, match=r"common\.toml is missing"):
        render_letter(FAMILY, missing)


def read_with(data: LetterData, head: Letterhead) -> str:
    return pdf_text(render_letter(data, head))
