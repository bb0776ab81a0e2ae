"""Case supervision: a manager records it, each case lands in the chronology as management oversight,
anyone else is refused, bad input writes nothing, and who is overdue follows the policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mash_desk.domain.enums import ContactStatus
from mash_desk.domain.errors import InvalidInput, PermissionRefused
from mash_desk.domain.periods import london_date
from mash_desk.domain.supervision import CaseDiscussed, check_case_discussed, normal_reference
from mash_desk.services import contact_view, policy
from mash_desk.services.dashboard import front_door_measures
from mash_desk.services.person_record import person_chronology
from mash_desk.services.supervision import recent_supervisions, record_supervision, supervision_choices
from tests.support import World, case_at, unchanged

REFLECTION = "Sam weighed the school's worry against the health visitor's view; the pattern matters more."
ACTIONS = "Ask the GP for the last three appointments; review in two weeks."


def _reference(contact_id: int) -> str:
    return f"MASH-{contact_id:07d}"


def _ids(world: World) -> dict[str, int]:
    choices = supervision_choices(world.maria)
    people = {p.name: p.user_id for p in (*choices.practitioners, *choices.managers)}
    return {"sam": people["Sam Carter"], "priya": people["Priya Shah"], "maria": people["Maria Lopez"]}


def test_a_manager_records_supervision_and_each_case_lands_in_the_chronology(world: World) -> None:
    first = case_at(world, ContactStatus.SCREENED)
    second = case_at(world, ContactStatus.RECEIVED)
    ids = _ids(world)
    today = london_date(world.clock())
    cases = [
        check_case_discussed(_reference(first.id), REFLECTION, ACTIONS),
        check_case_discussed(f"mash-{second.id}", "Second case: no drift, decision on time.", "None needed."),
    ]
    supervision_id = record_supervision(world.maria, ids["sam"], ids["maria"], today, cases)
    assert supervision_id > 0

    detail = contact_view.open_contact(world.maria, first.id)
    entries = [entry for entry in detail.chronology if "Case supervision of Sam Carter" in entry.what]
    assert len(entries) == 1
    assert REFLECTION in entries[0].what
    assert ACTIONS in entries[0].what
    assert entries[0].who == "Maria Lopez"
    # the child's own record shows it too, as management oversight
    record = person_chronology(world.maria, first.child_ids[0])
    assert any(REFLECTION in row.what for row in record.rows)

    [row] = recent_supervisions(world.auditor)
    assert (row.practitioner, row.supervisor, row.cases, row.held_on) == ("Sam Carter", "Maria Lopez", 2, today)


@pytest.mark.parametrize("who", ["sam", "bea", "police", "auditor", "admin"])
def test_only_a_manager_records_supervision(world: World, who: str) -> None:
    case = case_at(world, ContactStatus.SCREENED)
    ids = _ids(world)
    cases = [CaseDiscussed(_reference(case.id), REFLECTION, ACTIONS)]
    with unchanged(world.db), pytest.raises(PermissionRefused, match="Only a manager"):
        record_supervision(getattr(world, who), ids["sam"], ids["maria"], london_date(world.clock()), cases)
    with pytest.raises(PermissionRefused):
        supervision_choices(world.sam)


def test_bad_input_names_the_field_and_writes_nothing(world: World) -> None:
    case = case_at(world, ContactStatus.SCREENED)
    ids = _ids(world)
    today = london_date(world.clock())
    good = CaseDiscussed(_reference(case.id), REFLECTION, ACTIONS)
    attempts: list[tuple[str, tuple[int | None, int | None, date | None, list[CaseDiscussed]]]] = [
        ("held_on", (ids["sam"], ids["maria"], today + timedelta(days=1), [good])),
        ("held_on", (ids["sam"], ids["maria"], None, [good])),
        ("held_on", (ids["sam"], ids["maria"], today - timedelta(days=200), [good])),
        ("cases", (ids["sam"], ids["maria"], today, [])),
        ("cases", (ids["sam"], ids["maria"], today, [good, good])),
        ("cases", (ids["sam"], ids["maria"], today, [CaseDiscussed("MASH-9999999", REFLECTION, ACTIONS)])),
        ("practitioner", (None, ids["maria"], today, [good])),
        ("practitioner", (ids["priya"] + 10_000, ids["maria"], today, [good])),
        ("supervisor", (ids["sam"], ids["priya"], today, [good])),  # a practitioner is not a supervisor
        ("supervisor", (ids["sam"], ids["sam"], today, [good])),
    ]
    for field, args in attempts:
        with unchanged(world.db), pytest.raises(InvalidInput) as refused:
            record_supervision(world.maria, *args)
        assert field in refused.value.field_errors, (field, refused.value.field_errors)


def test_a_case_form_says_what_is_missing() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_case_discussed("case 42", "short", "   ")
    assert set(refused.value.field_errors) == {"reference", "reflection", "actions"}


@given(st.integers(min_value=1, max_value=999_999_999), st.sampled_from(["MASH-", "mash-", "MASH", " Mash-"]))
def test_a_reference_is_read_however_it_is_typed(number: int, prefix: str) -> None:
    assert normal_reference(f"{prefix}{number}") == f"MASH-{number:07d}"


@given(st.text(max_size=20))
def test_anything_else_is_not_a_reference(text: str) -> None:
    normal = normal_reference(text)
    assert normal is None or (normal.startswith("MASH-") and normal[5:].isdigit())


def test_who_is_overdue_follows_the_policy_and_shows_on_the_dashboard(world: World) -> None:
    case = case_at(world, ContactStatus.SCREENED)
    ids = _ids(world)
    today = london_date(world.clock())  # Tuesday 10 March 2026
    policy.set_policy_row(world.admin, "supervision", 5, "working_days")
    held = today - timedelta(days=14)  # 24 February: due 3 March, so overdue on 10 March
    record_supervision(
        world.maria, ids["sam"], ids["maria"], held, [CaseDiscussed(_reference(case.id), REFLECTION, ACTIONS)]
    )
    record_supervision(
        world.mark, ids["priya"], ids["maria"], today, [CaseDiscussed(_reference(case.id), REFLECTION, ACTIONS)]
    )
    m = front_door_measures(world.maria, date(2026, 2, 1), today)
    assert m.themes is not None
    sup = m.themes.supervision
    rows = {row.name: row for row in sup.practitioners}
    assert rows["Sam Carter"].last_held == held
    assert rows["Sam Carter"].due_on == date(2026, 3, 3)
    assert rows["Sam Carter"].overdue
    assert not rows["Priya Shah"].overdue
    assert rows["Ava Green"].overdue  # never supervised
    assert rows["Ava Green"].last_held is None
    assert sup.overdue_now == 2
    assert (sup.supervisions_held, sup.cases_discussed) == (2, 2)
    feb, mar = sup.months
    assert (feb.month_end, feb.supervisions_held, feb.practitioners_supervised) == (date(2026, 2, 28), 1, 1)
    assert feb.overdue_at_end == 2  # Priya and Ava had never been supervised by then
    assert (mar.month_end, mar.supervisions_held, mar.overdue_at_end) == (today, 1, 2)
    # at the period's end the undecided work assigned to practitioners is their open caseload now
    assert mar.caseload_at_end == sum(row.open_caseload for row in sup.practitioners) == 1
    assert feb.caseload_at_end == 0  # the contact arrived in March
