"""UPNs that are real (check letter and local authority code) and the reasons a UPN is unknown.

Intake and corrections refuse a bad UPN or reason at its field and write nothing; a good one is
stored in its one normal form (issue 13).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mash_desk.domain import validation
from mash_desk.domain.cin import UPN_UNKNOWN_REASONS, validate_upn_unknown
from mash_desk.domain.errors import InvalidInput
from mash_desk.services import intake
from mash_desk.services.contact_view import open_person
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.people import PersonCorrection, correct_person
from mash_desk.store.models import Person
from tests.support import World, child, contact_draft, snapshot, snapshot_diff


def upn_for(body: str) -> str:
    return validation.upn_check_letter(body) + body


LUTON = upn_for("821400115001")  # a Luton school's UPN, right check letter
NO_SUCH_LA = upn_for("999400115001")  # right check letter, but 999 is no local authority


def _refused(world: World, upn: str | None = None, upn_unknown: str | None = None) -> dict[str, str]:
    before = snapshot(world.db)
    with pytest.raises(InvalidInput) as caught:
        intake.log_contact(world.sam, contact_draft(world.clock, child(upn=upn, upn_unknown=upn_unknown)))
    assert snapshot_diff(before, snapshot(world.db)) == {}
    return caught.value.field_errors


def test_intake_refuses_a_upn_from_no_local_authority_at_its_field(world: World) -> None:
    errors = _refused(world, upn=NO_SUCH_LA)
    assert errors == {
        "children.0.upn": "This is not a valid UPN: characters 2 to 4 (999) are not a local authority code. "
        "Check them against the school's records."
    }


def test_intake_refuses_a_reason_that_is_not_one_or_beside_a_upn(world: World) -> None:
    assert set(_refused(world, upn_unknown="UN9")) == {"children.0.upn_unknown"}
    assert set(_refused(world, upn_unknown="UN7")) == {"children.0.upn_unknown"}  # the export's own code
    both = _refused(world, upn=LUTON, upn_unknown="UN2")
    assert set(both) == {"children.0.upn_unknown"}
    assert "The UPN is recorded" in both["children.0.upn_unknown"]


def test_a_reason_is_recorded_and_a_later_upn_replaces_it(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock, child(upn_unknown=" un4 ")))
    person_id = logged.child_person_ids[0]
    with world.db.session() as session:
        person = session.get_one(Person, person_id)
        assert (person.upn, person.upn_unknown, person.version) == (None, "UN4", 1)
    version = correct_person(
        world.sam,
        person_id,
        PersonCorrection(upn_unknown="UN5"),
        reason="Checked with the school office.",
        expected_version=1,
    )
    version = correct_person(
        world.sam,
        person_id,
        PersonCorrection(upn=LUTON.lower()),
        reason="Checked with the school office.",
        expected_version=version,
    )
    assert open_person(world.sam, person_id).upn == LUTON
    with world.db.session() as session:
        person = session.get_one(Person, person_id)
        assert (person.upn, person.upn_unknown) == (LUTON, None)
    before = snapshot(world.db)
    with pytest.raises(InvalidInput) as caught:
        correct_person(
            world.sam,
            person_id,
            PersonCorrection(upn_unknown="UN2"),
            reason="Checked with the school office.",
            expected_version=version,
        )
    assert set(caught.value.field_errors) == {"upn_unknown"}
    with pytest.raises(InvalidInput) as caught:
        correct_person(
            world.sam,
            person_id,
            PersonCorrection(upn=NO_SUCH_LA),
            reason="Checked with the school office.",
            expected_version=version,
        )
    assert set(caught.value.field_errors) == {"upn"}
    assert snapshot_diff(before, snapshot(world.db)) == {}


_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
upn_like = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ abc", max_size=15),
    # shaped like a UPN, any LA code, check letter usually right: refused only for the LA code
    st.builds(
        lambda la, rest: upn_for(f"{la:03d}{rest}"),
        st.integers(0, 999),
        st.text(alphabet="0123456789", min_size=9, max_size=9),
    ),
    st.builds(
        lambda first, body: first + body,
        st.sampled_from(_LETTERS),
        st.text(alphabet="0123456789", min_size=12, max_size=12),
    ),
)
reason_like = st.one_of(st.none(), st.sampled_from([*UPN_UNKNOWN_REASONS, "un1", " UN3 ", "UN6", "UN7", "X", ""]))


def _expected(upn: str, reason: str | None) -> set[str]:
    expected = set()
    if blank_to_none(upn):
        try:
            validation.normalise_upn(upn)
        except InvalidInput:
            expected.add("children.0.upn")
    try:
        validate_upn_unknown(reason, upn)
    except InvalidInput:
        expected.add("children.0.upn_unknown")
    return expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upn=upn_like, reason=reason_like)
def test_any_upn_and_reason_either_save_normalised_or_are_refused_with_nothing_written(
    world: World, upn: str, reason: str | None
) -> None:
    draft = contact_draft(world.clock, child(upn=upn, upn_unknown=reason))
    expected = _expected(upn, reason)
    before = snapshot(world.db)
    if expected:
        with pytest.raises(InvalidInput) as info:
            intake.log_contact(world.sam, draft)
        assert set(info.value.field_errors) == expected
        assert snapshot_diff(before, snapshot(world.db)) == {}
        return
    logged = intake.log_contact(world.sam, draft)
    with world.db.session() as session:
        person = session.get_one(Person, logged.child_person_ids[0])
        stored = validation.normalise_upn(upn) if blank_to_none(upn) else None
        assert person.upn == stored
        assert validation.is_upn_la_code(stored[1:4]) if stored else True
        assert person.upn_unknown == ((reason or "").strip().upper() or None)
