"""What each job's group may do, table by table and column by column, and the functions staff may call."""

from __future__ import annotations

from sqlalchemy import Connection, text

from mash_desk.domain.enums import Role
from mash_desk.domain.lifecycle import status_transitions
from mash_desk.store.pg_security.case_audits import CASE_AUDIT_PRIVILEGES, CASE_AUDIT_STAFF_FUNCTIONS
from mash_desk.store.pg_security.exercises import EXERCISE_PRIVILEGES, EXERCISE_STAFF_FUNCTIONS
from mash_desk.store.pg_security.roles import HubRoles, existing_tables, run_sql

_SOCIAL_WORK = (Role.PRACTITIONER, Role.MANAGER)
_LOGGERS = (*_SOCIAL_WORK, Role.BUSINESS_SUPPORT)
_WORKING = (*_SOCIAL_WORK, Role.AGENCY, Role.BUSINESS_SUPPORT, Role.ADMIN)
_EVERYONE = tuple(Role)
_ADMIN = (Role.ADMIN,)
_MANAGER = (Role.MANAGER,)
# a merge re-points these columns from the merged record to the kept one (a guard checks each row)
MERGE_REPOINTS: dict[str, tuple[str, ...]] = {
    "contact_child": ("person_id",),
    "contact_adult": ("person_id",),
    "relationship": ("child_id", "adult_id"),
    "household_member": ("person_id",),
    "case_note": ("person_id",),
    "dash_assessment": ("victim_id",),
    "gcp_assessment": ("child_id",),
}
# the key of each row a merge re-points: its id, or the record a (record, person) row hangs from
REPOINT_KEYS: dict[str, str] = {
    "contact_child": "id",
    "contact_adult": "contact_id",
    "relationship": "id",
    "household_member": "household_id",
    "case_note": "id",
    "dash_assessment": "id",
    "gcp_assessment": "id",
}

AGENCY_REQUEST_READABLE = (
    "id",
    "contact_id",
    "agency_id",
    "question",
    "requested_by_id",
    "requested_at",
    "due_at",
    "status",
    "returned_at",
    "returned_by_id",
    "nothing_known",
    "confidentiality",
    "withdrawn_reason",
    "version",
)

RESTRICTION_FACTS = ("id", "contact_id", "person_id", "restricted_by_id", "restricted_at", "lifted_at")

Grant = tuple[str, tuple[str, ...] | None, tuple[Role, ...]]
"""(privilege, columns or None for the whole table, jobs that get it)."""

PRIVILEGES: dict[str, tuple[Grant, ...]] = {
    "agency": (("SELECT", None, _EVERYONE), ("INSERT", None, _ADMIN)),
    "team": (("SELECT", None, _EVERYONE), ("INSERT", None, _ADMIN)),
    # users change only through the administrators' functions
    "app_user": (("SELECT", None, _EVERYONE),),
    "person": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        (
            "UPDATE",
            (
                "date_of_birth",
                "expected_date_of_birth",
                "nhs_number",
                "upn",
                "upn_unknown",
                "gender",
                "ethnicity_code",
                "first_language",
                "interpreter_needed",
                "communication_needs",
            ),
            _SOCIAL_WORK,
        ),
        # accepting a hand-off allocates the children to the receiving team, whoever that is
        ("UPDATE", ("allocated_team_id", "case_open", "case_closed_on", "version"), _WORKING),
        # only a manager merges two records of one person (and undoes it); a guard checks the merge row
        ("UPDATE", ("merged_into_id",), _MANAGER),
    ),
    "person_merge": (
        ("SELECT", None, (Role.MANAGER, Role.AUDITOR)),
        ("INSERT", None, _MANAGER),
        ("UPDATE", ("undone_by_id", "undone_at", "undo_reason"), _MANAGER),
    ),
    "person_merge_move": (("SELECT", None, (Role.MANAGER, Role.AUDITOR)), ("INSERT", None, _MANAGER)),
    "person_name_key": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "person_alias": (("SELECT", None, _EVERYONE), ("INSERT", None, _SOCIAL_WORK)),
    "household": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "household_member": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        ("UPDATE", MERGE_REPOINTS["household_member"], _MANAGER),
    ),
    "relationship": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        ("UPDATE", MERGE_REPOINTS["relationship"], _MANAGER),
    ),
    "contact": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        # the state columns: which job may make which move is the transitions table's business
        (
            "UPDATE",
            (
                "reference",
                "status",
                "rag",
                "rag_due_at",
                "assigned_to_id",
                "team_id",
                "decided_at",
                "closed_at",
                "closed_by_id",
                "updated_at",
                "updated_by_id",
                "version",
            ),
            _WORKING,
        ),
    ),
    "contact_concern": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "contact_child": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        ("UPDATE", ("level_of_need", "outcome", "primary_need"), _SOCIAL_WORK),
        ("UPDATE", MERGE_REPOINTS["contact_child"], _MANAGER),
    ),
    "contact_adult": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _LOGGERS),
        ("UPDATE", MERGE_REPOINTS["contact_adult"], _MANAGER),
    ),
    "consent_decision": (("SELECT", None, _EVERYONE), ("INSERT", None, _SOCIAL_WORK)),
    "rag_rating": (("SELECT", None, _EVERYONE), ("INSERT", None, _SOCIAL_WORK)),
    "agency_request": (
        # everything but the return's words, which only mash_desk_return_summary() hands over
        ("SELECT", AGENCY_REQUEST_READABLE, _EVERYONE),
        ("INSERT", None, _SOCIAL_WORK),
        (
            "UPDATE",
            (
                "status",
                "summary",
                "nothing_known",
                "confidentiality",
                "returned_at",
                "returned_by_id",
                "withdrawn_reason",
                "due_at",
                "version",
            ),
            (*_SOCIAL_WORK, Role.AGENCY),
        ),
    ),
    "threshold_decision": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _SOCIAL_WORK),
        ("UPDATE", ("status",), _SOCIAL_WORK),
    ),
    "authorisation": (("SELECT", None, _EVERYONE), ("INSERT", None, (Role.MANAGER,))),
    "hand_off": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _SOCIAL_WORK),
        ("UPDATE", ("status", "responded_by_id", "responded_at", "rejection_reason"), _WORKING),
    ),
    "case_note": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _WORKING),
        ("UPDATE", MERGE_REPOINTS["case_note"], _MANAGER),
    ),
    "dash_assessment": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, (*_SOCIAL_WORK, Role.AGENCY)),
        ("UPDATE", MERGE_REPOINTS["dash_assessment"], _MANAGER),
    ),
    "gcp_assessment": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, (*_SOCIAL_WORK, Role.AGENCY)),
        ("UPDATE", MERGE_REPOINTS["gcp_assessment"], _MANAGER),
    ),
    "marac_referral": (("SELECT", None, _EVERYONE), ("INSERT", None, (*_SOCIAL_WORK, Role.AGENCY))),
    # the MASH chases a receiving team; who and when are stamped by the trigger, nothing changes after
    "hand_off_chase": (("SELECT", None, _EVERYONE), ("INSERT", None, _SOCIAL_WORK)),
    "letter": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "timescale_policy": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _ADMIN),
        ("UPDATE", ("amount", "clock", "updated_at"), _ADMIN),
    ),
    "setting": (("SELECT", None, _EVERYONE), ("INSERT", None, _ADMIN), ("UPDATE", ("value",), _ADMIN)),
    "pattern_policy": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _ADMIN),
        ("UPDATE", ("amount", "updated_at"), _ADMIN),
    ),
    # who interpreted each conversation with the family: recorded by whoever spoke to them
    "family_conversation": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    # what a manager decided about a pattern: a manager's word only
    "pattern_response": (("SELECT", None, _EVERYONE), ("INSERT", None, (Role.MANAGER,))),
    "family_letter_hold": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _ADMIN),
        ("UPDATE", ("holds", "updated_at"), _ADMIN),
    ),
    "record_restriction": (
        ("SELECT", None, (Role.MANAGER, Role.AUDITOR)),
        # that a record is restricted, and by whom, everyone may know (the policies read it); why, only overseers
        ("SELECT", RESTRICTION_FACTS, _EVERYONE),
        ("INSERT", None, (Role.MANAGER,)),
        ("UPDATE", ("lifted_by_id", "lifted_at", "lift_reason"), (Role.MANAGER,)),
    ),
    "glass_break": (
        ("SELECT", None, (Role.MANAGER, Role.AUDITOR)),
        ("SELECT", ("id",), _EVERYONE),  # the new row's id, handed back by INSERT ... RETURNING
        ("INSERT", None, _EVERYONE),
    ),
    # a practitioner's supervision: recorded by a manager, read by those who oversee the work
    "supervision": (("SELECT", None, (Role.MANAGER, Role.AUDITOR, Role.ADMIN)), ("INSERT", None, _MANAGER)),
    "supervision_case": (("SELECT", None, (Role.MANAGER, Role.AUDITOR, Role.ADMIN)), ("INSERT", None, _MANAGER)),
    # written only by the database; read by those who oversee the work
    "audit_event": (("SELECT", None, (Role.MANAGER, Role.AUDITOR)),),
    "mash_desk_transition": (("SELECT", None, _EVERYONE),),
    "alembic_version": (("SELECT", None, _EVERYONE),),
    # the threshold consistency exercise (pg_security.exercises)
    **EXERCISE_PRIVILEGES,
    **CASE_AUDIT_PRIVILEGES,
}

# the functions staff call themselves; everything else runs only as a trigger or for administrators
STAFF_FUNCTIONS = (
    "mash_desk_audit(text, text, bigint, bigint, text)",
    "mash_desk_my_agency()",
    "mash_desk_my_team()",
    "mash_desk_may_read_return(integer, text)",
    "mash_desk_return_summary(integer)",
    "mash_desk_contact_returns(integer)",
    "mash_desk_cleared(integer, integer, integer)",
    "mash_desk_live_restriction(text, integer)",
    "mash_desk_restriction_notice(text, integer)",
    "mash_desk_restricted_contact(text)",
    *EXERCISE_STAFF_FUNCTIONS,
    *CASE_AUDIT_STAFF_FUNCTIONS,
)
ADMIN_FUNCTIONS = (
    "mash_desk_add_user(text, text, text, text, text, text, text, text, boolean, text)",
    "mash_desk_set_user_job(text, text, text, text)",
    "mash_desk_set_user_active(text, boolean, text)",
    "mash_desk_set_password(text, text)",
    "mash_desk_set_user_gcp_licensed(text, boolean)",
)


def transition_rows() -> list[tuple[str, str, str]]:
    """The transitions table's rows, from the one state machine the services use."""
    return sorted((a.value, b.value, role.value) for a, b, role in status_transitions())


def grant_privileges(conn: Connection, hub: HubRoles) -> None:
    """Start every table from nothing, then grant exactly :data:`PRIVILEGES`."""
    groups = ", ".join([*(f'"{name}"' for name in hub.all_groups()[:-1]), "PUBLIC"])
    present = existing_tables(conn)
    # a column a later migration adds is granted when that migration installs again (as for tables)
    columns_now: dict[str, set[str]] = {}
    for table, column in conn.execute(
        text("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'")
    ):
        columns_now.setdefault(table, set()).add(column)
    for table, grants in PRIVILEGES.items():
        if table not in present:
            continue
        run_sql(conn, f'REVOKE ALL ON TABLE public."{table}" FROM {groups}')
        for privilege, wanted, jobs in grants:
            columns = tuple(c for c in wanted if c in columns_now.get(table, set())) if wanted else None
            if wanted and not columns:
                continue
            what = f"{privilege} ({', '.join(columns)})" if columns else privilege
            for job in jobs:
                run_sql(conn, f'GRANT {what} ON TABLE public."{table}" TO "{hub.job(job)}"')
    sequences = conn.execute(
        text(
            "SELECT c.relname, d.refobjid::regclass::text FROM pg_class c "
            "JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i') "
            "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
        )
    ).all()
    for sequence, table in sequences:
        run_sql(conn, f'REVOKE ALL ON SEQUENCE public."{sequence}" FROM {groups}')
        inserters = {
            job for privilege, _c, jobs in PRIVILEGES.get(table.strip('"'), ()) for job in jobs if privilege == "INSERT"
        }
        for job in sorted(inserters):
            run_sql(conn, f'GRANT USAGE ON SEQUENCE public."{sequence}" TO "{hub.job(job)}"')
    for function in (*STAFF_FUNCTIONS, *ADMIN_FUNCTIONS):
        run_sql(conn, f"REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC")
    for function in STAFF_FUNCTIONS:
        run_sql(conn, f'GRANT EXECUTE ON FUNCTION public.{function} TO "{hub.staff}"')
    for function in ADMIN_FUNCTIONS:
        run_sql(conn, f'GRANT EXECUTE ON FUNCTION public.{function} TO "{hub.job(Role.ADMIN)}"')
