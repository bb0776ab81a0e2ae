"""Outcome letters through the services: issue, store, suppress, the daily batch, and the anonymity rule."""

from __future__ import annotations

import hashlib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mash_desk.domain.enums import LetterMethod, LetterRecipient, Outcome, ReferrerKind
from mash_desk.domain.errors import IllegalTransition, InvalidInput, NotFound, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.letters import (
    TEMPLATE_VERSION,
    FamilyLetterData,
    LetterTemplateError,
    ReferrerLetterData,
    referrer_disclosable_to_family,
)
from mash_desk.services import changes, intake, letters
from mash_desk.services.drafts import ReferrerDraft
from mash_desk.store.models import AuditEvent, Letter
from tests.letters.journeys import decide
from tests.letters.test_render import pdf_text
from tests.support import World, contact_draft


def test_issuing_stores_the_letter_whole_with_its_hash_and_an_audit_row(world: World) -> None:
    logged = decide(world, hand_off_to="Assessment Team", accept=True)
    issued = letters.issue_letter(world.bea, logged.id, LetterRecipient.REFERRER, LetterMethod.POST)
    assert issued.sha256 == hashlib.sha256(issued.pdf).hexdigest()
    assert issued.template_version == TEMPLATE_VERSION
    assert issued.recipient_name == "Jo Bell"
    assert issued.issued_by == "Bea Hughes"
    text = pdf_text(issued.pdf)
    assert logged.reference in text
    assert "Child and family assessment" in text
    assert "Sam Carter" in text  # the named contact: the practitioner who screened it
    with world.db.session() as session:
        row = session.get(Letter, issued.letter_id)
        assert row is not None
        assert row.pdf == issued.pdf
        assert row.sha256 == issued.sha256
        assert not row.suppressed
        assert row.method is LetterMethod.POST
        assert row.issued_at == world.clock()
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.issue")).one()
        assert audit.entity_id == issued.letter_id
        assert audit.contact_id == logged.id
    assert letters.stored_letter_pdf(world.auditor, issued.letter_id) == issued.pdf
    (record,) = letters.letters_for_contact(world.maria, logged.id)
    assert record.letter_id == issued.letter_id
    assert record.issued_by == "Bea Hughes"


def test_a_stored_letter_is_reproduced_exactly_from_the_same_data(world: World) -> None:
    logged = decide(world)
    addressee = letters.family_addressee(world.bea, logged.id)
    assert (addressee.name, addressee.address_lines) == ("Layla Hussain", ("12 Park Street", "Luton", "LU1 3AB"))
    with pytest.raises(IllegalTransition, match="Check who the family letter"):
        letters.issue_letter(world.bea, logged.id, "family", "post")  # nobody confirmed who it goes to
    issued = letters.issue_letter(world.bea, logged.id, "family", "post", addressee_id=addressee.person_id)
    assert issued.recipient_name == "Layla Hussain"
    assert letters.preview_letter(world.bea, logged.id, "family") == issued.pdf


def test_letter_data_names_each_childs_decision(world: World) -> None:
    from tests.support import child

    draft = contact_draft(world.clock, child("Amira"), child("Yusuf", dob=None))
    logged = decide(world, draft, (Outcome.CFA_S17, Outcome.EARLY_HELP), hand_off_to="Assessment Team")
    data = letters.letter_data(world.bea, logged.id, "referrer")
    assert isinstance(data, ReferrerLetterData)
    assert [(c.given_names, c.outcome, c.team) for c in data.facts.children] == [
        ("Amira", Outcome.CFA_S17, "Assessment Team"),
        ("Yusuf", Outcome.EARLY_HELP, "Assessment Team"),
    ]
    assert data.professional
    assert data.recipient_agency == "Hillside Primary School"
    family = letters.letter_data(world.bea, logged.id, "family")
    assert isinstance(family, FamilyLetterData)
    assert family.recipient_name == "Layla Hussain"  # the mother, with parental responsibility
    assert family.address_lines == ("12 Park Street", "Luton", "LU1 3AB")
    assert family.raised_by_professional


def test_no_letter_before_the_decision_is_authorised_nor_for_agencies(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    with pytest.raises(IllegalTransition):
        letters.preview_letter(world.bea, logged.id, "referrer")
    decided = decide(world)
    with pytest.raises(PermissionRefused):
        letters.issue_letter(world.police, decided.id, "referrer", "post")
    with pytest.raises(InvalidInput):
        letters.issue_letter(world.bea, decided.id, "neighbour", "post")
    with pytest.raises(InvalidInput):
        letters.issue_letter(world.bea, decided.id, "referrer", "pigeon")


def test_suppressing_the_family_letter_needs_a_reason_and_a_social_worker(world: World) -> None:
    logged = decide(world, outcomes=(Outcome.STRATEGY_S47,))
    with pytest.raises(InvalidInput) as caught:
        letters.suppress_family_letter(world.sam, logged.id, "   ")
    assert "reason" in caught.value.field_errors
    with pytest.raises(PermissionRefused):
        letters.suppress_family_letter(world.bea, logged.id, "Section 47 enquiry with police.")
    letter_id = letters.suppress_family_letter(world.sam, logged.id, "Section 47 enquiry with police.")
    with world.db.session() as session:
        row = session.get(Letter, letter_id)
        assert row is not None
        assert row.suppressed
        assert row.pdf is None
        assert row.sha256 is None
        assert row.suppression_reason == "Section 47 enquiry with police."
    with pytest.raises(IllegalTransition):
        letters.issue_letter(world.bea, logged.id, "family", "post")
    with pytest.raises(IllegalTransition):
        letters.preview_letter(world.bea, logged.id, "family")
    with pytest.raises(IllegalTransition):
        letters.suppress_family_letter(world.sam, logged.id, "Again.")
    with pytest.raises(NotFound):
        letters.stored_letter_pdf(world.bea, letter_id)
    # the referrer still hears
    assert [job.recipient for job in letters.letters_due(world.bea, world.clock().date())] == [LetterRecipient.REFERRER]


def test_a_suppressed_family_letter_is_never_produced_by_the_batch(world: World) -> None:
    logged = decide(world)
    jobs = letters.letters_due(world.bea, world.clock().date())
    assert [job.recipient for job in jobs] == [LetterRecipient.REFERRER, LetterRecipient.FAMILY]
    # suppressed after the list was made: the batch must still not send it
    letters.suppress_family_letter(world.maria, logged.id, "Domestic abuse: the perpetrator may read it.")
    result = letters.issue_batch(world.bea, jobs)
    assert [letter.recipient for letter in result.issued] == [LetterRecipient.REFERRER]
    assert [(job.recipient, reason) for job, reason in result.skipped] == [
        (LetterRecipient.FAMILY, "already suppressed")
    ]
    assert letters.letters_due(world.bea, world.clock().date()) == []


def test_letters_due_on_a_day(world: World) -> None:
    yesterday = decide(world)
    world.clock.advance(days=1)
    today = decide(world)
    anonymous = decide(
        world,
        contact_draft(world.clock, referral_source="9", referrer=ReferrerDraft(kind=ReferrerKind.ANONYMOUS, name=None)),
    )
    public_with_email = decide(
        world,
        contact_draft(
            world.clock,
            referral_source="1D",
            referrer=ReferrerDraft(kind=ReferrerKind.MEMBER_OF_PUBLIC, name="Pat Neighbour", email="pat@example.com"),
            household=None,
        ),
    )
    jobs = letters.letters_due(world.bea, london_date(world.clock()))
    assert [(job.contact_id, job.recipient) for job in jobs] == [
        (today.id, LetterRecipient.REFERRER),
        (today.id, LetterRecipient.FAMILY),
        (anonymous.id, LetterRecipient.FAMILY),  # an anonymous referrer with no e-mail gets no letter
        (public_with_email.id, LetterRecipient.REFERRER),  # no household address: no family letter
    ]
    # a referrer who gave only an e-mail address is written to by secure e-mail, not "post"
    methods = {(job.contact_id, job.recipient): job.method for job in jobs}
    assert methods[(public_with_email.id, LetterRecipient.REFERRER)] is LetterMethod.SECURE_EMAIL
    assert methods[(today.id, LetterRecipient.FAMILY)] is LetterMethod.POST
    assert {
        job.contact_id for job in letters.letters_due(world.bea, london_date(world.clock()) - timedelta(days=1))
    } == {yesterday.id}
    with pytest.raises(PermissionRefused):
        letters.letters_due(world.police, world.clock().date())
    by_reference = letters.letters_due_for_contact(world.bea, today.reference.lower())
    assert [job.recipient for job in by_reference] == [LetterRecipient.REFERRER, LetterRecipient.FAMILY]
    with pytest.raises(NotFound):
        letters.letters_due_for_contact(world.bea, "MASH-9999999")


def test_batch_reports_progress_and_stops_cleanly_when_cancelled(world: World) -> None:
    for _ in range(3):
        decide(world)
    jobs = letters.letters_due(world.bea, world.clock().date())
    assert len(jobs) == 6
    seen: list[tuple[int, int]] = []

    def cancel_after_two() -> bool:
        return len(seen) >= 2

    result = letters.issue_batch(
        world.bea, jobs, progress=lambda done, total: seen.append((done, total)), cancelled=cancel_after_two
    )
    assert result.cancelled
    assert len(result.issued) == 2
    assert result.total == 6
    assert seen == [(1, 6), (2, 6)]
    rest = letters.issue_batch(world.bea, letters.letters_due(world.bea, world.clock().date()))
    assert not rest.cancelled
    assert len(rest.issued) == 4
    assert not rest.failed
    assert letters.letters_due(world.bea, world.clock().date()) == []
    again = letters.issue_batch(world.bea, jobs)  # the old list: everything already went
    assert not again.issued
    assert len(again.skipped) == 6


def _referrer(kind: ReferrerKind, anonymity: bool, name: str, phone: str, email: str, agency: str) -> ReferrerDraft:
    return ReferrerDraft(
        kind=kind,
        name=None if kind is ReferrerKind.ANONYMOUS else name,
        role="Neighbour" if kind is not ReferrerKind.PROFESSIONAL else "Teacher",
        agency=agency,
        phone=phone,
        email=email,
        anonymity_requested=anonymity,
    )


def _assert_family_letter_hides(world: World, referrer: ReferrerDraft) -> None:
    logged = decide(world, contact_draft(world.clock, referrer=referrer))
    text = pdf_text(letters.preview_letter(world.bea, logged.id, "family")).replace(" ", "")
    # identity strings compared without spaces, so a name wrapped across lines would still be caught
    for secret in (referrer.name, referrer.phone, referrer.email, referrer.agency):
        if secret:
            assert secret.replace(" ", "") not in text, secret
    stored_anonymity = referrer.anonymity_requested or referrer.kind is ReferrerKind.ANONYMOUS
    disclosable = referrer_disclosable_to_family(referrer.kind, stored_anonymity)
    assert ("aprofessionalwhoworkswithyourfamily" in text) is disclosable
    if disclosable:
        referrer_text = pdf_text(letters.preview_letter(world.bea, logged.id, "referrer")).replace(" ", "")
        assert (referrer.name or "").replace(" ", "") in referrer_text  # the strings are findable at all


@pytest.mark.parametrize("anonymity", [False, True])
def test_the_family_letter_never_reveals_the_referrer_for_any_kind(world: World, anonymity: bool) -> None:
    for kind in ReferrerKind:
        _assert_family_letter_hides(
            world,
            _referrer(kind, anonymity, "Quentin Zebedee", "07700 900123", "qz.tipster@example.org", "Zedland Clinic"),
        )


NAME_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(list(ReferrerKind)),
    anonymity=st.booleans(),
    given_name=NAME_PART,
    family_name=NAME_PART,
    digits=st.integers(min_value=0, max_value=999_999_999),
    agency=NAME_PART,
)
def test_property_referrer_identity_never_in_the_family_letter(
    world: World, kind: ReferrerKind, anonymity: bool, given_name: str, family_name: str, digits: int, agency: str
) -> None:
    referrer = _referrer(
        kind,
        anonymity,
        f"Xq{given_name.title()} Vz{family_name.title()}",
        f"07{digits:09d}",
        f"xq.{given_name}@{family_name}.example.org",
        f"Vz{agency.title()} Services",
    )
    _assert_family_letter_hides(world, referrer)


def test_a_risky_family_letter_waits_for_a_social_worker(world: World) -> None:
    from mash_desk.domain.enums import Concern

    logged = decide(world, contact_draft(world.clock, concerns={Concern.DOMESTIC_ABUSE}))
    day = world.clock().date()
    assert [job.recipient for job in letters.letters_due(world.bea, day)] == [LetterRecipient.REFERRER]
    (held,) = letters.letters_held(world.bea, day)
    assert held.job.contact_id == logged.id
    assert held.reason == "domestic abuse is recorded"
    assert held.worker == "Sam Carter"  # whose decision it waits for: the case's worker
    assert letters.letters_held_for_contact(world.bea, logged.reference) == [held]
    addressee = letters.family_addressee(world.sam, logged.id).person_id
    with pytest.raises(PermissionRefused):
        letters.issue_letter(world.bea, logged.id, "family", "post", addressee_id=addressee)
    # nor in anyone's batch, a social worker's included
    batch = letters.issue_batch(world.sam, [held.job])
    assert not batch.issued
    assert "never sent in a batch" in batch.failed[0][1]
    # the social worker decides, having checked who it goes to
    issued = letters.issue_letter(world.sam, logged.id, "family", "hand_delivered", addressee_id=addressee)
    assert issued.method is LetterMethod.HAND_DELIVERED
    assert letters.letters_held(world.bea, day) == []


def test_the_named_contact_is_the_authorising_manager_when_nobody_is_assigned(world: World) -> None:
    from mash_desk.domain.enums import Rag
    from mash_desk.services import decisions, screening
    from tests.support import consent_given

    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.maria, logged.id, Rag.GREEN)  # a manager's rating assigns nobody
    screening.record_consent(world.maria, logged.id, consent_given(world.clock))
    decisions.propose_decision(
        world.sam,
        logged.id,
        decisions.DecisionProposal(logged.child_person_ids[0], 1, Outcome.NFA, "N9", "Nothing to suggest harm here."),
    )
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.mark, logged.id)
    data = letters.letter_data(world.bea, logged.id, "referrer")
    assert data.facts.contact.name == "Mark Evans"
    assert data.facts.contact.job_title == "Team manager"


def test_issuing_or_suppressing_a_letter_reaches_the_other_workstations(world: World) -> None:
    logged = decide(world)
    for step in (
        lambda: letters.issue_letter(world.sam, logged.id, LetterRecipient.REFERRER, LetterMethod.POST),
        lambda: letters.suppress_family_letter(world.sam, logged.id, "Mother's partner reads the post."),
    ):
        marker = changes.current_marker(world.maria)
        world.clock.advance(minutes=1)
        step()
        assert logged.id in changes.changed_since(world.maria, marker).contact_ids


def test_the_referrer_letter_claims_a_managers_authorisation_only_when_one_is_recorded(world: World) -> None:
    """Issue 10: wording comes from the recorded facts, not the route (say a contact that reached a
    decision with no manager's authorisation, as the open-case route once allowed)."""
    from sqlalchemy import delete

    from mash_desk.store.models import Authorisation

    logged = decide(world)
    professional = pdf_text(letters.preview_letter(world.bea, logged.id, "referrer"))
    assert "screened and checked" not in professional  # no agency was asked on this contact
    assert "The information was screened, and a manager authorised the decision on" in professional
    data = letters.letter_data(world.bea, logged.id, "referrer")
    assert data.facts.authorised_by_manager
    with world.db.engine.begin() as conn:  # as the database owner: the state such a route left behind
        conn.execute(delete(Authorisation).where(Authorisation.contact_id == logged.id))
    text = pdf_text(letters.preview_letter(world.bea, logged.id, "referrer"))
    assert "manager" not in text.lower().replace("team manager", "")
    assert "authorised" not in text
    assert "The information was screened, and the decision was made on" in text
    assert not letters.letter_data(world.bea, logged.id, "referrer").facts.authorised_by_manager


def test_a_family_letter_goes_to_no_one_unsafe_and_is_held_when_no_one_is_safe(world: World) -> None:
    """The issue's example: a parent who referred anonymously, listed first with parental responsibility."""
    from mash_desk.domain.enums import RelationshipKind
    from mash_desk.services.drafts import AdultDraft

    mother = AdultDraft(
        given_names="Layla",
        family_name="Hussain",
        relationship=RelationshipKind.MOTHER,
        parental_responsibility=True,
        is_referrer=True,
    )
    father = AdultDraft(
        given_names="Omar",
        family_name="Hussain",
        relationship=RelationshipKind.FATHER,
        parental_responsibility=True,
    )
    anonymous = ReferrerDraft(kind=ReferrerKind.ANONYMOUS, anonymity_requested=True)
    both = decide(world, contact_draft(world.clock, referral_source="9", referrer=anonymous, adults=[mother, father]))
    addressee = letters.family_addressee(world.bea, both.id)
    assert addressee.name == "Omar Hussain"
    assert addressee.passed_over == (("Layla Hussain", "made the contact and may not be named to the family"),)
    only_her = decide(world, contact_draft(world.clock, referral_source="9", referrer=anonymous, adults=[mother]))
    (held,) = letters.letters_held_for_contact(world.bea, only_her.reference)
    assert held.job.recipient_name is None
    assert "no adult with parental responsibility can safely receive it" in held.reason
    with pytest.raises(IllegalTransition, match="no safe addressee"):
        letters.family_addressee(world.sam, only_her.id)
    with pytest.raises(IllegalTransition, match="no safe addressee"):
        letters.issue_letter(world.sam, only_her.id, "family", "post", addressee_id=None)
    # suppressing it, with a reason, is still open to a social worker
    letters.suppress_family_letter(world.sam, only_her.id, "Only the referring mother has parental responsibility.")
    assert letters.letters_held_for_contact(world.bea, only_her.reference) == []


def test_the_hold_policy_is_the_administrators_data(world: World) -> None:
    from mash_desk.domain.enums import Concern
    from mash_desk.services import policy

    with pytest.raises(PermissionRefused):
        policy.set_family_letter_hold(world.maria, "concern", "neglect", True)
    with pytest.raises(InvalidInput):
        policy.set_family_letter_hold(world.admin, "concern", "dragons", True)
    with pytest.raises(InvalidInput):
        policy.set_family_letter_hold(world.admin, "colour", "neglect", True)
    neglect = decide(world)  # the usual contact: neglect and housing, a child and family assessment
    assert letters.letters_held_for_contact(world.bea, neglect.reference) == []
    policy.set_family_letter_hold(world.admin, "concern", "neglect", True)
    (held,) = letters.letters_held_for_contact(world.bea, neglect.reference)
    assert held.reason == "neglect is recorded"
    marac = decide(world, contact_draft(world.clock, concerns={Concern.NEGLECT}), (Outcome.MARAC,))
    assert "the outcome is MARAC" in letters.letters_held_for_contact(world.bea, marac.reference)[0].reason
    policy.set_family_letter_hold(world.admin, "outcome", "MARAC", False)
    policy.set_family_letter_hold(world.admin, "concern", "neglect", False)
    assert letters.letters_held_for_contact(world.bea, marac.reference) == []
    with world.db.session() as session:
        trail = list(session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "policy.family_letter_hold")))
    assert len(trail) == 3
    assert trail[1] is not None
    assert '"before": true' in trail[1]


def test_a_broken_wording_template_stops_every_letter_before_anything_is_stored(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A council's edit that breaks a template is refused at the start of preview, issue and batch,
    with a message naming the file and the key; nothing is stored and nothing is half-sent."""
    from mash_desk.letters import templates

    logged = decide(world, hand_off_to="Assessment Team", accept=True)
    broken = tmp_path / "letters"
    shutil.copytree(templates.TEMPLATES_DIR, broken)
    family = broken / "family.toml"
    family.write_text(family.read_text(encoding="utf-8").replace("$reference", "$referenc", 1), encoding="utf-8")
    shipped = templates.TEMPLATES_DIR
    monkeypatch.setattr(templates, "TEMPLATES_DIR", broken)
    jobs = letters.letters_due(world.bea, london_date(world.clock()))
    assert jobs
    for attempt in (
        lambda: letters.preview_letter(world.bea, logged.id, LetterRecipient.REFERRER),
        lambda: letters.issue_letter(world.bea, logged.id, LetterRecipient.REFERRER, LetterMethod.POST),
        lambda: letters.issue_batch(world.bea, jobs),
    ):
        with pytest.raises(LetterTemplateError, match=r"family\.toml: title uses \$referenc"):
            attempt()
    with world.db.session() as session:
        assert session.scalars(select(Letter)).all() == []
    monkeypatch.setattr(templates, "TEMPLATES_DIR", shipped)
    assert letters.issue_batch(world.bea, jobs).issued


def test_the_letterhead_setting_can_name_a_councils_own_wording(world: World, tmp_path: Path) -> None:
    import json

    from mash_desk.letters import templates
    from mash_desk.services import policy
    from mash_desk.store.models import Setting

    logged = decide(world, hand_off_to="Assessment Team", accept=True)
    ours = tmp_path / "luton-letters"
    shutil.copytree(templates.TEMPLATES_DIR, ours)
    common = ours / "common.toml"
    common.write_text(common.read_text(encoding="utf-8").replace("Yours sincerely,", "With best wishes,"), "utf-8")
    with world.db.session() as session, session.begin():
        config = json.loads(policy.get_setting(session, policy.LETTERHEAD))
        row = session.get(Setting, policy.LETTERHEAD)
        value = json.dumps({**config, "templates": str(ours)})
        if row is None:
            session.add(Setting(key=policy.LETTERHEAD, value=value))
        else:
            row.value = value
    issued = letters.issue_letter(world.bea, logged.id, LetterRecipient.REFERRER, LetterMethod.POST)
    assert "With best wishes," in pdf_text(issued.pdf)
    # the letter on file says which words it carried: the council's own, not the shipped version's
    assert issued.template_version == f"{TEMPLATE_VERSION}-{templates.load_wording(ours).digest[:8]}"
    with world.db.session() as session:
        stored = session.get(Letter, issued.letter_id)
        assert stored is not None
        assert stored.template_version == issued.template_version
    common.unlink()
    with pytest.raises(LetterTemplateError, match=r"common\.toml is missing"):
        letters.preview_letter(world.bea, logged.id, LetterRecipient.REFERRER)
