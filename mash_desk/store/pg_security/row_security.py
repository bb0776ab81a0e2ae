# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] role names only
"""Row-level security bound to the login: restricted records hidden, partner agencies see what was asked of them."""

from __future__ import annotations

from sqlalchemy import Connection

from mash_desk.domain.enums import Role
from mash_desk.store.pg_security.case_audits import AUDITED_CONTACT, CASE_AUDIT_ROW_RULES
from mash_desk.store.pg_security.exercises import EXERCISE_ROW_RULES
from mash_desk.store.pg_security.hidden import not_hidden
from mash_desk.store.pg_security.roles import HubRoles, existing_tables, run_sql

# Two rules, both bound to the login. Restricted records: a contact or person a manager restricted
# is hidden, with everything on it, from everyone the rule does not clear (mash_desk_cleared, asked
# only where a restriction exists). Partner agencies: a partner's login sees only the contacts its
# agency was asked about or its team was handed, what hangs off them, and its own requests. The
# agency rules lean on the contact's and person's own policies, so visibility follows one chain;
# agency_request and hand_off lean on nothing, so no policy recurs.


def _via_contact(table: str, column: str = "contact_id") -> str:
    return f"EXISTS (SELECT 1 FROM contact c WHERE c.id = {table}.{column})"


def _via_person(table: str, column: str = "person_id") -> str:
    return f"EXISTS (SELECT 1 FROM person p WHERE p.id = {table}.{column})"


def _via_contact_else_person(table: str, person_column: str) -> str:
    """Rows made on a contact follow the contact's visibility; rows on the person alone follow the person's."""
    return (
        f"(({table}.contact_id IS NOT NULL AND {_via_contact(table)}) "
        f"OR ({table}.contact_id IS NULL AND {_via_person(table, person_column)}))"
    )


_MY_AGENCY = "mash_desk_my_agency()"
_MY_TEAM = "mash_desk_my_team()"

# table: (what the MASH's own staff see, what a partner agency sees)
ROW_RULES: dict[str, tuple[str, str]] = {
    "contact": (
        not_hidden("contact", "id"),
        f"{not_hidden('contact', 'id')} AND (EXISTS (SELECT 1 FROM agency_request r WHERE r.contact_id = contact.id "
        f"AND r.agency_id = {_MY_AGENCY}) OR EXISTS (SELECT 1 FROM hand_off h WHERE h.contact_id = contact.id "
        f"AND h.team_id = {_MY_TEAM}) OR {AUDITED_CONTACT})",
    ),
    "person": (
        not_hidden("person", "id", "person"),
        f"{not_hidden('person', 'id', 'person')} AND ("
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.person_id = person.id) "
        "OR EXISTS (SELECT 1 FROM contact_adult ca WHERE ca.person_id = person.id))",
    ),
    "agency_request": (
        not_hidden("agency_request", "contact_id"),
        f"{not_hidden('agency_request', 'contact_id')} AND agency_id = {_MY_AGENCY}",
    ),
    "hand_off": (
        not_hidden("hand_off", "contact_id"),
        f"{not_hidden('hand_off', 'contact_id')} AND (team_id = {_MY_TEAM} OR EXISTS (SELECT 1 FROM agency_request r "
        f"WHERE r.contact_id = hand_off.contact_id AND r.agency_id = {_MY_AGENCY}))",
    ),
    **{
        table: (not_hidden(table, "contact_id"), _via_contact(table))
        for table in (
            "contact_concern",
            "consent_decision",
            "rag_rating",
            "authorisation",
            "dash_assessment",
            "family_conversation",
            "pattern_response",
            "marac_referral",
            "hand_off_chase",
        )
    },
    **{
        table: (
            f"{not_hidden(table, 'contact_id')} AND {not_hidden(table, 'person_id', 'person')}",
            _via_contact(table),
        )
        for table in ("contact_child", "contact_adult")
    },
    "threshold_decision": (
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.id = threshold_decision.contact_child_id)",
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.id = threshold_decision.contact_child_id)",
    ),
    # a note or GCP2 made on a contact is read through that contact only, as the record shows it: seeing
    # the child through one contact a partner was asked about opens none of the child's other contacts
    "case_note": (
        f"{not_hidden('case_note', 'contact_id')} AND {not_hidden('case_note', 'person_id', 'person')}",
        _via_contact_else_person("case_note", "person_id"),
    ),
    "gcp_assessment": (
        f"{not_hidden('gcp_assessment', 'contact_id')} AND {not_hidden('gcp_assessment', 'child_id', 'person')}",
        _via_contact_else_person("gcp_assessment", "child_id"),
    ),
    # a case discussed in supervision hides with its contact; no partner reads supervision
    "supervision_case": (not_hidden("supervision_case", "contact_id"), "false"),
    # outcome letters are between the MASH and the family or referrer: no partner reads them
    "letter": (not_hidden("letter", "contact_id"), "false"),
    **{
        table: (not_hidden(table, "person_id", "person"), _via_person(table))
        for table in ("person_alias", "person_name_key", "household_member")
    },
    "household": ("true", "EXISTS (SELECT 1 FROM contact c WHERE c.household_id = household.id)"),
    "relationship": (
        f"{not_hidden('relationship', 'child_id', 'person')} AND {not_hidden('relationship', 'adult_id', 'person')}",
        f"{_via_person('relationship', 'child_id')} OR {_via_person('relationship', 'adult_id')}",
    ),
    # the trail about a restricted contact or person hides with it (managers and auditors read the trail; a
    # decision's level, a RAG's reason and a person's details are in it); no partner reads the trail
    "audit_event": (
        f"(audit_event.contact_id IS NULL OR {not_hidden('audit_event', 'contact_id')}) "
        f"AND (audit_event.entity <> 'person' OR {not_hidden('audit_event', 'entity_id', 'person')})",
        "false",
    ),
    # a merge of two records hides with either of them: its reason says who the person is and why the two are
    # one (managers and auditors read merges; no partner does)
    "person_merge": (
        f"{not_hidden('person_merge', 'kept_id', 'person')} AND {not_hidden('person_merge', 'merged_id', 'person')}",
        "false",
    ),
    **EXERCISE_ROW_RULES,
    **CASE_AUDIT_ROW_RULES,
}


def contact_seen_by_login(contact_id: str) -> str:
    """The contact's row rule as one condition, for a ``SECURITY DEFINER`` function (which runs past the rules):
    true when the login may see the contact whose id is the SQL expression ``contact_id``. A guard that looks a
    row up as the owner asks this first, so that its answers say nothing about a contact the login cannot see."""
    staff_sees, agency_sees = ROW_RULES["contact"]
    return (
        f"EXISTS (SELECT 1 FROM contact WHERE contact.id = {contact_id} AND CASE WHEN mash_desk_has_job('agency') "
        f"THEN ({agency_sees}) ELSE ({staff_sees}) END)"
    )


POLICIES = ("mash_desk_staff", "mash_desk_agency_read", "mash_desk_agency_write", "mash_desk_agency_change")


def install_row_security(conn: Connection, hub: HubRoles) -> None:
    """Row-level security bound to the login (the owner, and so the rules' own functions, bypass it)."""
    others = ", ".join(f'"{hub.job(job)}"' for job in Role if job is not Role.AGENCY)
    agency = f'"{hub.job(Role.AGENCY)}"'
    present = existing_tables(conn)
    for table, (staff_sees, agency_sees) in ROW_RULES.items():
        if table not in present:
            continue
        for policy in POLICIES:
            run_sql(conn, f'DROP POLICY IF EXISTS {policy} ON public."{table}"')
        run_sql(conn, f'ALTER TABLE public."{table}" ENABLE ROW LEVEL SECURITY')
        run_sql(
            conn,
            f'CREATE POLICY mash_desk_staff ON public."{table}" FOR ALL TO {others} '
            f"USING ({staff_sees}) WITH CHECK ({staff_sees})",
        )
        run_sql(
            conn,
            f'CREATE POLICY mash_desk_agency_read ON public."{table}" FOR SELECT TO {agency} USING ({agency_sees})',
        )
        run_sql(
            conn,
            f'CREATE POLICY mash_desk_agency_write ON public."{table}" FOR INSERT TO {agency} '
            f"WITH CHECK ({agency_sees})",
        )
        run_sql(
            conn,
            f'CREATE POLICY mash_desk_agency_change ON public."{table}" FOR UPDATE TO {agency} '
            f"USING ({agency_sees}) WITH CHECK ({agency_sees})",
        )
