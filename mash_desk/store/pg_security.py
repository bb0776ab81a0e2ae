# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] role names only
"""PostgreSQL as the security boundary: the roles, grants, rules and audit of one hub's database.

Every workstation connects with the person's own login, so whatever the services refuse, the
database refuses too (DESIGN.md, "The client is not the security boundary"). This module is the
one place that says how: the migrations call :func:`install`, the tests read :data:`PRIVILEGES`.

- Roles are per hub database, named from it (:func:`hub_roles`), so two hubs on one server never
  share a group. A NOLOGIN owner holds the tables and the ``SECURITY DEFINER`` functions; a group
  per job sits in a staff group that alone may CONNECT. A person's job is their group membership.
- Privileges start from none and are granted by column (:data:`PRIVILEGES`).
- Triggers stamp every "by whom" from the login, freeze past facts, check status changes against
  ``mash_desk_transition`` (generated from ``domain.lifecycle``), and keep four eyes, the consent
  gate, RAG reasons, hand-off acceptance and agency returns. They raise SQLSTATE 42501.
- The audit trail is written by the database: ``mash_desk_audit()`` for the services' own rows,
  row triggers for every change to the case tables. Staff cannot insert into it directly.

Triggers and audit rows are skipped for the owner and superusers (migrations, the demo loader),
by a ``WHEN`` clause, so bulk loads pay nothing for them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from mash_desk.domain.enums import AgencyKind, Confidentiality, ContactStatus, DecisionStatus, Outcome, Role
from mash_desk.domain.lifecycle import RULES, Action, status_transitions
from mash_desk.domain.sharing import CONFIDENTIAL_READERS, GLASS_BREAK_HOURS

# what the staff group's logins get by default; a person can still SET their own, so these are a
# safety net against a forgotten transaction holding locks, not a limit
STATEMENT_TIMEOUT = "120s"
IDLE_IN_TRANSACTION_TIMEOUT = "60s"

JOBS: tuple[str, ...] = tuple(role.value for role in Role)
_PREFIX_MAX = 40


@dataclass(frozen=True)
class HubRoles:
    """The database's own role names."""

    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def staff(self) -> str:
        return f"{self.prefix}_staff"

    def job(self, job: Role | str) -> str:
        return f"{self.prefix}_{Role(job).value}"

    def all_groups(self) -> tuple[str, ...]:
        return (*(self.job(job) for job in JOBS), self.staff, self.owner)


def hub_roles(database: str) -> HubRoles:
    """Role names derived from the database name: short, lower-case, and distinct per database."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"hub_{cleaned}"
    if len(cleaned) > _PREFIX_MAX:
        digest = hashlib.sha256(database.encode()).hexdigest()[:8]
        cleaned = f"{cleaned[: _PREFIX_MAX - 9]}_{digest}"
    return HubRoles(cleaned)


# --- privileges ------------------------------------------------------------------------------------

_SOCIAL_WORK = (Role.PRACTITIONER, Role.MANAGER)
_LOGGERS = (*_SOCIAL_WORK, Role.BUSINESS_SUPPORT)
_WORKING = (*_SOCIAL_WORK, Role.AGENCY, Role.BUSINESS_SUPPORT, Role.ADMIN)
_EVERYONE = tuple(Role)
_ADMIN = (Role.ADMIN,)

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
    ),
    "person_name_key": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "person_alias": (("SELECT", None, _EVERYONE), ("INSERT", None, _SOCIAL_WORK)),
    "household": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "household_member": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "relationship": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
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
    ),
    "contact_adult": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
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
    "case_note": (("SELECT", None, _EVERYONE), ("INSERT", None, _WORKING)),
    "dash_assessment": (("SELECT", None, _EVERYONE), ("INSERT", None, (*_SOCIAL_WORK, Role.AGENCY))),
    "gcp_assessment": (("SELECT", None, _EVERYONE), ("INSERT", None, (*_SOCIAL_WORK, Role.AGENCY))),
    "letter": (("SELECT", None, _EVERYONE), ("INSERT", None, _LOGGERS)),
    "timescale_policy": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _ADMIN),
        ("UPDATE", ("amount", "clock", "updated_at"), _ADMIN),
    ),
    "setting": (("SELECT", None, _EVERYONE), ("INSERT", None, _ADMIN), ("UPDATE", ("value",), _ADMIN)),
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
    # written only by the database; read by those who oversee the work
    "audit_event": (("SELECT", None, (Role.MANAGER, Role.AUDITOR)),),
    "mash_desk_transition": (("SELECT", None, _EVERYONE),),
    "alembic_version": (("SELECT", None, _EVERYONE),),
}

# the functions staff call themselves; everything else runs only as a trigger or for administrators
STAFF_FUNCTIONS = (
    "mash_desk_audit(text, text, bigint, bigint, text)",
    "mash_desk_my_agency()",
    "mash_desk_my_team()",
    "mash_desk_may_read_return(integer, text)",
    "mash_desk_return_summary(integer)",
    "mash_desk_cleared(integer, integer, integer)",
    "mash_desk_live_restriction(text, integer)",
    "mash_desk_restriction_notice(text, integer)",
    "mash_desk_restricted_contact(text)",
)
ADMIN_FUNCTIONS = (
    "mash_desk_add_user(text, text, text, text, text, text, text, text, boolean, text)",
    "mash_desk_set_user_job(text, text, text, text)",
    "mash_desk_set_user_active(text, boolean, text)",
    "mash_desk_set_password(text, text)",
)


def transition_rows() -> list[tuple[str, str, str]]:
    """The transitions table's rows, from the one state machine the services use."""
    return sorted((a.value, b.value, role.value) for a, b, role in status_transitions())


# --- install ---------------------------------------------------------------------------------------


def current_hub(conn: Connection) -> HubRoles:
    return hub_roles(conn.execute(text("SELECT current_database()")).scalar_one())


def refresh_transitions(conn: Connection) -> None:
    """Make ``mash_desk_transition`` say exactly what ``domain.lifecycle`` says (both databases)."""
    conn.execute(text("DELETE FROM mash_desk_transition"))
    conn.execute(
        text("INSERT INTO mash_desk_transition (from_status, to_status, job) VALUES (:a, :b, :job)"),
        [{"a": a, "b": b, "job": job} for a, b, job in transition_rows()],
    )


def install(conn: Connection) -> None:
    """Roles, ownership, grants, rules and audit for this database (run as a superuser, idempotent).

    It secures the schema as it stands: migration 0003 runs it with today's code on yesterday's
    tables, so grants, policies and triggers for a table a later migration creates are skipped
    here, and that migration calls ``install`` again once its table exists. Function bodies are
    not checked at creation (as pg_restore does), so a function may name such a table too.
    """
    hub = current_hub(conn)
    _sql(conn, "SET LOCAL check_function_bodies = off")
    _create_roles(conn, hub)
    _take_ownership(conn, hub)
    _install_functions(conn, hub)
    _install_triggers(conn, hub)
    grant_privileges(conn, hub)
    install_row_security(conn, hub)
    _adopt_existing_users(conn, hub)


def existing_tables(conn: Connection) -> frozenset[str]:
    """The tables of the public schema now: what ``install`` can secure at this point of the migrations."""
    return frozenset(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())


def _sql(conn: Connection, statement: str) -> None:
    conn.exec_driver_sql(statement.replace("%", "%%"))


def _create_roles(conn: Connection, hub: HubRoles) -> None:
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    # the owner creates logins through the administrators' functions; nobody logs in as it
    _ensure_role(conn, hub.owner, "NOLOGIN CREATEROLE")
    _ensure_role(conn, hub.staff, "NOLOGIN")
    for job in JOBS:
        _ensure_role(conn, hub.job(job), "NOLOGIN")
        _sql(conn, f'GRANT "{hub.staff}" TO "{hub.job(job)}"')
    quoted_db = conn.dialect.identifier_preparer.quote(database)
    # Row-level security makes a partner agency's plans large (every policy a subplan), and their cost
    # estimates pass jit_above_cost: compiling them took seconds (a person search by a police login
    # 5 s, not 50 ms, on a hub of 1,500 contacts; found by the load test). Short OLTP queries never
    # repay JIT, so it is off for every session on this hub's database, whatever the client.
    _sql(conn, f"ALTER DATABASE {quoted_db} SET jit = off")
    _sql(conn, f"REVOKE ALL ON DATABASE {quoted_db} FROM PUBLIC")
    _sql(conn, f'GRANT CONNECT ON DATABASE {quoted_db} TO "{hub.staff}"')
    _sql(conn, f'GRANT CONNECT, TEMPORARY ON DATABASE {quoted_db} TO "{hub.owner}"')
    _sql(conn, "REVOKE ALL ON SCHEMA public FROM PUBLIC")
    _sql(conn, f'GRANT USAGE ON SCHEMA public TO "{hub.staff}"')
    _sql(conn, f'GRANT USAGE, CREATE ON SCHEMA public TO "{hub.owner}"')


def _ensure_role(conn: Connection, name: str, options: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    _sql(conn, f'{"ALTER" if exists else "CREATE"} ROLE "{name}" {options}')


def _take_ownership(conn: Connection, hub: HubRoles) -> None:
    tables = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars()
    for table in list(tables):
        _sql(conn, f'ALTER TABLE public."{table}" OWNER TO "{hub.owner}"')
    # a table a later migration adds is closed until that migration opens it
    for role in ("CURRENT_USER", f'"{hub.owner}"'):
        _sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} IN SCHEMA public REVOKE ALL ON TABLES FROM PUBLIC")
        _sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC")
        _sql(conn, f"ALTER DEFAULT PRIVILEGES FOR ROLE {role} IN SCHEMA public REVOKE ALL ON SEQUENCES FROM PUBLIC")


def grant_privileges(conn: Connection, hub: HubRoles) -> None:
    """Start every table from nothing, then grant exactly :data:`PRIVILEGES`."""
    groups = ", ".join([*(f'"{name}"' for name in hub.all_groups()[:-1]), "PUBLIC"])
    present = existing_tables(conn)
    for table, grants in PRIVILEGES.items():
        if table not in present:
            continue
        _sql(conn, f'REVOKE ALL ON TABLE public."{table}" FROM {groups}')
        for privilege, columns, jobs in grants:
            what = f"{privilege} ({', '.join(columns)})" if columns else privilege
            for job in jobs:
                _sql(conn, f'GRANT {what} ON TABLE public."{table}" TO "{hub.job(job)}"')
    sequences = conn.execute(
        text(
            "SELECT c.relname, d.refobjid::regclass::text FROM pg_class c "
            "JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i') "
            "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
        )
    ).all()
    for sequence, table in sequences:
        _sql(conn, f'REVOKE ALL ON SEQUENCE public."{sequence}" FROM {groups}')
        inserters = {
            job for privilege, _c, jobs in PRIVILEGES.get(table.strip('"'), ()) for job in jobs if privilege == "INSERT"
        }
        for job in sorted(inserters):
            _sql(conn, f'GRANT USAGE ON SEQUENCE public."{sequence}" TO "{hub.job(job)}"')
    for function in (*STAFF_FUNCTIONS, *ADMIN_FUNCTIONS):
        _sql(conn, f"REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC")
    for function in STAFF_FUNCTIONS:
        _sql(conn, f'GRANT EXECUTE ON FUNCTION public.{function} TO "{hub.staff}"')
    for function in ADMIN_FUNCTIONS:
        _sql(conn, f'GRANT EXECUTE ON FUNCTION public.{function} TO "{hub.job(Role.ADMIN)}"')


def _adopt_existing_users(conn: Connection, hub: HubRoles) -> None:
    """Users made before this hub had its own groups join their job's group and lose server-wide powers."""
    rows = conn.execute(
        text(
            "SELECT u.username, u.role, u.active FROM app_user u JOIN pg_roles r ON r.rolname = u.username "
            "WHERE NOT r.rolsuper"
        )
    ).all()
    database = conn.dialect.identifier_preparer.quote(conn.execute(text("SELECT current_database()")).scalar_one())
    for username, job, active in rows:
        _sql(conn, f'ALTER ROLE "{username}" NOCREATEROLE')
        if active:
            _sql(conn, f'GRANT "{hub.job(job)}" TO "{username}"')
        _sql(conn, f"ALTER ROLE \"{username}\" IN DATABASE {database} SET statement_timeout = '{STATEMENT_TIMEOUT}'")
        _sql(
            conn,
            f'ALTER ROLE "{username}" IN DATABASE {database} '
            f"SET idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_TIMEOUT}'",
        )
    legacy = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'mash_desk_staff'")).scalar()
    if legacy:
        for kind in ("TABLES", "SEQUENCES"):
            _sql(conn, f"REVOKE ALL ON ALL {kind} IN SCHEMA public FROM mash_desk_staff")
        _sql(conn, "REVOKE ALL ON SCHEMA public FROM mash_desk_staff")


def uninstall(conn: Connection) -> None:
    """Undo :func:`install` (the downgrade): back to the superuser's tables, open to CONNECT."""
    hub = current_hub(conn)
    present = existing_tables(conn)
    for table in ROW_RULES.keys() & present:
        for policy in _POLICIES:
            _sql(conn, f'DROP POLICY IF EXISTS {policy} ON public."{table}"')
        _sql(conn, f'ALTER TABLE public."{table}" DISABLE ROW LEVEL SECURITY')
    for table, spec, _when in _TRIGGERS:
        if table not in present:
            continue
        _sql(conn, f'DROP TRIGGER IF EXISTS "{_trigger_name(table, spec)}" ON public."{table}"')
    for function in _FUNCTION_NAMES:
        _sql(conn, f"DROP FUNCTION IF EXISTS public.{function} CASCADE")
    for table in sorted(present):
        _sql(conn, f'ALTER TABLE public."{table}" OWNER TO CURRENT_USER')
    if conn.execute(text("SELECT 1 FROM pg_proc WHERE proname = 'mash_desk_notify_change'")).scalar():
        _sql(conn, "ALTER FUNCTION public.mash_desk_notify_change() OWNER TO CURRENT_USER")
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    quoted_db = conn.dialect.identifier_preparer.quote(database)
    _sql(conn, f"GRANT CONNECT, TEMPORARY ON DATABASE {quoted_db} TO PUBLIC")
    _sql(conn, "GRANT USAGE ON SCHEMA public TO PUBLIC")
    for group in hub.all_groups():
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": group}).scalar()
        if exists:
            _sql(conn, f'DROP OWNED BY "{group}"')
            _sql(conn, f'DROP ROLE "{group}"')


# --- functions -------------------------------------------------------------------------------------

_FUNCTION_NAMES = (
    "mash_desk_invoker()",
    "mash_desk_has_job(text)",
    "mash_desk_actor_id()",
    "mash_desk_refuse(text)",
    "mash_desk_sharing_allowed(integer, text)",
    "mash_desk_audit(text, text, bigint, bigint, text)",
    "mash_desk_audit_row()",
    "mash_desk_stamp()",
    "mash_desk_guard_contact_insert()",
    "mash_desk_guard_contact_update()",
    "mash_desk_check_contact_at_commit()",
    "mash_desk_guard_decision_insert()",
    "mash_desk_guard_decision_update()",
    "mash_desk_guard_contact_child_update()",
    "mash_desk_guard_authorisation_insert()",
    "mash_desk_guard_consent_insert()",
    "mash_desk_guard_request_insert()",
    "mash_desk_guard_request_update()",
    "mash_desk_guard_hand_off_insert()",
    "mash_desk_guard_hand_off_update()",
    "mash_desk_guard_note_insert()",
    "mash_desk_guard_letter_insert()",
    "mash_desk_job_names()",
    "mash_desk_my_agency()",
    "mash_desk_my_team()",
    "mash_desk_decides(integer)",
    "mash_desk_current_decision(integer)",
    "mash_desk_authorised_now(integer)",
    "mash_desk_may_read_return(integer, text)",
    "mash_desk_return_summary(integer)",
    "mash_desk_agency_named(text)",
    "mash_desk_team_named(text)",
    "mash_desk_leave_jobs(text)",
    "mash_desk_add_user(text, text, text, text, text, text, text, text, boolean, text)",
    "mash_desk_set_user_job(text, text, text, text)",
    "mash_desk_set_user_active(text, boolean, text)",
    "mash_desk_set_password(text, text)",
)

_DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"


def _quoted_list(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _function_sql(hub: HubRoles) -> str:
    working = _quoted_list(sorted(s.value for s in RULES[Action.PROPOSE_DECISION].states))
    undecided = _quoted_list(
        sorted(
            s.value
            for s in RULES[Action.SUBMIT_FOR_AUTHORISATION].states
            | RULES[Action.AUTHORISE].states
            | {ContactStatus.RECEIVED}
        )
    )
    jobs = _quoted_list(list(JOBS))
    readers = " OR ".join(f"mash_desk_has_job('{role.value}')" for role in sorted(CONFIDENTIAL_READERS))
    closed = ContactStatus.CLOSED.value
    proposed = DecisionStatus.PROPOSED.value
    authorised = DecisionStatus.AUTHORISED.value
    pass_outcome = Outcome.PASS_TO_ALLOCATED_WORKER.value
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_invoker() RETURNS name LANGUAGE sql STABLE
SET search_path = pg_catalog AS $$
    -- inside a SECURITY DEFINER function current_user is the owner; the role setting is not
    SELECT CASE WHEN current_setting('role') = 'none' THEN session_user
                ELSE current_setting('role')::name END
$$;

CREATE OR REPLACE FUNCTION mash_desk_has_job(job text) RETURNS boolean LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT pg_has_role(mash_desk_invoker(), '{hub.prefix}_' || job, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION mash_desk_refuse(message text) RETURNS void LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '42501';
END $$;

CREATE OR REPLACE FUNCTION mash_desk_actor_id() RETURNS integer LANGUAGE plpgsql STABLE {_DEFINER} AS $$
DECLARE
    uid integer;
    is_active boolean;
BEGIN
    SELECT id, active INTO uid, is_active FROM app_user WHERE username = mash_desk_invoker();
    IF uid IS NULL OR NOT is_active THEN
        PERFORM mash_desk_refuse(format('The login %s is not an active MASH Desk user of this hub.',
                                        mash_desk_invoker()));
    END IF;
    RETURN uid;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_sharing_allowed(p_contact integer, p_agency text) RETURNS boolean
LANGUAGE plpgsql STABLE {_DEFINER} AS $$
DECLARE
    c record;
BEGIN
    SELECT status, scope, override, override_authorised_by_id INTO c
      FROM consent_decision WHERE contact_id = p_contact ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN false;
    ELSIF c.override THEN
        RETURN c.override_authorised_by_id IS NOT NULL;
    ELSIF c.status <> 'given' THEN
        RETURN false;
    END IF;
    RETURN p_agency IS NULL OR c.scope = '' OR p_agency = ANY (string_to_array(c.scope, ','));
END $$;

CREATE OR REPLACE FUNCTION mash_desk_my_agency() RETURNS integer LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT agency_id FROM app_user WHERE username = mash_desk_invoker() AND active
$$;

CREATE OR REPLACE FUNCTION mash_desk_my_team() RETURNS integer LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT team_id FROM app_user WHERE username = mash_desk_invoker() AND active
$$;

-- domain.lifecycle.may_decide: a manager of the team that owns the contact
CREATE OR REPLACE FUNCTION mash_desk_decides(p_contact integer) RETURNS boolean LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT mash_desk_has_job('manager') AND EXISTS (
        SELECT 1 FROM contact c WHERE c.id = p_contact AND c.team_id IS NOT NULL AND c.team_id = mash_desk_my_team())
$$;

-- a decision nobody has replaced: a proposal, or an authorised decision no later proposal supersedes
CREATE OR REPLACE FUNCTION mash_desk_current_decision(p_decision integer) RETURNS boolean
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT d.status = '{proposed}' OR (d.status = '{authorised}' AND NOT EXISTS (
               SELECT 1 FROM threshold_decision n WHERE n.supersedes_id = d.id))
      FROM threshold_decision d WHERE d.id = p_decision
$$;

-- four eyes stands: the contact's latest authorisation approved its decisions
CREATE OR REPLACE FUNCTION mash_desk_authorised_now(p_contact integer) RETURNS boolean
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT coalesce((SELECT approved FROM authorisation WHERE contact_id = p_contact ORDER BY id DESC LIMIT 1), false)
$$;

-- domain.sharing.may_read_return, as the database's own rule
CREATE OR REPLACE FUNCTION mash_desk_may_read_return(p_agency integer, p_confidentiality text) RETURNS boolean
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT coalesce((
        SELECT CASE
            WHEN u.agency_id = p_agency THEN true
            WHEN p_confidentiality = '{Confidentiality.SHAREABLE.value}' THEN true
            WHEN p_confidentiality = '{Confidentiality.AGENCY_CONFIDENTIAL.value}' THEN
                a.kind = '{AgencyKind.SOCIAL_CARE.value}' AND ({readers})
            ELSE false END
          FROM app_user u JOIN agency a ON a.id = u.agency_id
         WHERE u.username = mash_desk_invoker() AND u.active), false)
$$;

CREATE OR REPLACE FUNCTION mash_desk_return_summary(p_request integer) RETURNS text
LANGUAGE sql STABLE {_DEFINER} AS $$
    -- a partner agency sees only its own requests; everyone else every request; the marking decides the words
    SELECT r.summary FROM agency_request r
     WHERE r.id = p_request
       AND (NOT mash_desk_has_job('agency') OR r.agency_id = mash_desk_my_agency())
       AND mash_desk_may_read_return(r.agency_id, r.confidentiality)
$$;

CREATE OR REPLACE FUNCTION mash_desk_cleared(p_restriction integer, p_by integer, p_contact integer) RETURNS boolean
LANGUAGE sql STABLE {_DEFINER} AS $$
    -- domain.sharing.may_see_restricted: who restricted it, whose case it is, or a glass break today
    SELECT coalesce((
        SELECT u.id = p_by
            OR EXISTS (SELECT 1 FROM contact c WHERE c.id = p_contact AND c.assigned_to_id = u.id)
            OR EXISTS (SELECT 1 FROM glass_break g
                        WHERE g.restriction_id = p_restriction AND g.user_id = u.id AND g.expires_at > now())
          FROM app_user u WHERE u.username = mash_desk_invoker() AND u.active), false)
$$;

CREATE OR REPLACE FUNCTION mash_desk_live_restriction(p_kind text, p_id integer) RETURNS integer
LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT r.id FROM record_restriction r
     WHERE r.lifted_at IS NULL
       AND CASE WHEN p_kind = 'contact' THEN r.contact_id = p_id ELSE r.person_id = p_id END
     LIMIT 1
$$;

CREATE OR REPLACE FUNCTION mash_desk_restricted_contact(p_reference text) RETURNS integer
LANGUAGE sql STABLE {_DEFINER} AS $$
    -- a reference read out over the phone finds a restricted contact, so that the window can offer
    -- to break the glass; never for a partner agency, which sees only what it was asked about
    SELECT c.id FROM contact c
     WHERE (c.reference = p_reference OR c.id::text = p_reference)
       AND NOT mash_desk_has_job('agency')
       AND EXISTS (SELECT 1 FROM record_restriction r WHERE r.contact_id = c.id AND r.lifted_at IS NULL)
     LIMIT 1
$$;

CREATE OR REPLACE FUNCTION mash_desk_restriction_notice(p_kind text, p_id integer)
RETURNS TABLE (restriction_id integer, restricted_by text, restricted_at timestamptz)
LANGUAGE sql STABLE {_DEFINER} AS $$
    -- that a record exists and who restricted it, for those it is hidden from: never what it says
    SELECT r.id, u.display_name::text, r.restricted_at
      FROM record_restriction r JOIN app_user u ON u.id = r.restricted_by_id
     WHERE r.lifted_at IS NULL
       AND CASE WHEN p_kind = 'contact' THEN r.contact_id = p_id ELSE r.person_id = p_id END
       AND NOT mash_desk_cleared(r.id, r.restricted_by_id, r.contact_id)
$$;

CREATE OR REPLACE FUNCTION mash_desk_guard_glass_break_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    -- the server's clock decides how long the glass stays broken
    NEW.user_id := mash_desk_actor_id();
    NEW.broken_at := now();
    NEW.expires_at := now() + interval '{GLASS_BREAK_HOURS} hours';
    IF coalesce(length(btrim(NEW.reason)), 0) < 10 THEN
        PERFORM mash_desk_refuse('Say why you are breaking the glass, in at least 10 characters.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_restriction() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager can restrict a record or lift a restriction.');
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.restricted_by_id := me;
        NEW.lifted_by_id := NULL;
        NEW.lifted_at := NULL;
    ELSE
        IF OLD.lifted_at IS NOT NULL THEN
            PERFORM mash_desk_refuse('A lifted restriction never changes.');
        END IF;
        NEW.lifted_by_id := me;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_audit(p_action text, p_entity text, p_entity_id bigint,
                                           p_contact_id bigint, p_detail text) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    -- who and when come from the server, never from the workstation
    INSERT INTO audit_event (at, actor_id, actor_login, action, entity, entity_id, contact_id, detail)
    VALUES (now(), (SELECT id FROM app_user WHERE username = mash_desk_invoker()), mash_desk_invoker(),
            p_action, p_entity, p_entity_id, p_contact_id, p_detail);
END $$;

CREATE OR REPLACE FUNCTION mash_desk_audit_row() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    cid bigint;
    what text;
BEGIN
    IF TG_TABLE_NAME = 'contact' THEN
        cid := NEW.id;
        what := json_build_object('status', NEW.status, 'rag', NEW.rag, 'assigned_to_id', NEW.assigned_to_id,
                                  'team_id', NEW.team_id)::text;
    ELSIF TG_TABLE_NAME = 'threshold_decision' THEN
        SELECT contact_id INTO cid FROM contact_child WHERE id = NEW.contact_child_id;
        what := json_build_object('status', NEW.status)::text;
    ELSIF TG_TABLE_NAME IN ('person', 'glass_break') THEN
        cid := NULL;
    ELSE
        cid := NEW.contact_id;
    END IF;
    INSERT INTO audit_event (at, actor_id, actor_login, action, entity, entity_id, contact_id, detail)
    VALUES (now(), (SELECT id FROM app_user WHERE username = mash_desk_invoker()), mash_desk_invoker(),
            'row.' || lower(TG_OP), TG_TABLE_NAME, NEW.id, cid, what);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_stamp() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    -- TG_ARGV[0]: the column that says who did it
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], me));
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_contact_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    NEW.created_by_id := me;
    NEW.updated_by_id := me;
    NEW.closed_by_id := NULL;
    IF NEW.status <> 'received' OR NEW.decided_at IS NOT NULL OR NEW.closed_at IS NOT NULL THEN
        PERFORM mash_desk_refuse('A new contact starts as received, undecided and open.');
    END IF;
    IF NEW.assigned_to_id IS NOT NULL AND NEW.assigned_to_id <> me THEN
        PERFORM mash_desk_refuse('A new contact can only be given to the person logging it.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_contact_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    NEW.updated_by_id := me;
    IF NEW.reference IS DISTINCT FROM OLD.reference AND OLD.reference NOT LIKE 'new-%' THEN
        PERFORM mash_desk_refuse('A contact''s reference never changes.');
    END IF;
    IF NEW.version NOT IN (OLD.version, OLD.version + 1) THEN
        PERFORM mash_desk_refuse('A contact''s version only moves on by one.');
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM mash_desk_transition t
                        WHERE t.from_status = OLD.status AND t.to_status = NEW.status AND mash_desk_has_job(t.job)) THEN
            PERFORM mash_desk_refuse(format('Your login may not move a contact from %s to %s.',
                                            OLD.status, NEW.status));
        END IF;
    ELSIF (NEW.decided_at IS DISTINCT FROM OLD.decided_at AND OLD.decided_at IS NOT NULL)
          OR (NEW.closed_at IS DISTINCT FROM OLD.closed_at AND OLD.closed_at IS NOT NULL) THEN
        PERFORM mash_desk_refuse('Decision and closing times change only with the contact''s status.');
    END IF;
    NEW.closed_by_id := CASE WHEN NEW.status = '{closed}' AND OLD.status <> '{closed}' THEN me
                             ELSE OLD.closed_by_id END;
    IF NEW.assigned_to_id IS DISTINCT FROM OLD.assigned_to_id AND NOT mash_desk_has_job('manager')
       AND NOT (OLD.assigned_to_id IS NULL AND NEW.assigned_to_id = me) THEN
        PERFORM mash_desk_refuse('Only a manager can reassign work; you can take unassigned work yourself.');
    END IF;
    IF NEW.team_id IS DISTINCT FROM OLD.team_id AND NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager can move a contact to another team.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_check_contact_at_commit() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    latest record;
    now_status text;
BEGIN
    -- deferred to commit: the records that justify a change are written after the contact row
    SELECT status INTO now_status FROM contact WHERE id = NEW.id;
    IF NEW.decided_at IS DISTINCT FROM OLD.decided_at AND now_status IN ({undecided}) THEN
        PERFORM mash_desk_refuse('A decision time is recorded only with a decision.');
    END IF;
    IF NEW.closed_at IS DISTINCT FROM OLD.closed_at AND now_status <> '{closed}' THEN
        PERFORM mash_desk_refuse('A closing time is recorded only when the contact closes.');
    END IF;
    IF OLD.rag IS DISTINCT FROM NEW.rag OR OLD.rag_due_at IS DISTINCT FROM NEW.rag_due_at THEN
        SELECT rag, due_at, reason, rated_by_id INTO latest
          FROM rag_rating WHERE contact_id = NEW.id ORDER BY id DESC LIMIT 1;
        IF NOT FOUND OR latest.rag IS DISTINCT FROM NEW.rag OR latest.due_at IS DISTINCT FROM NEW.rag_due_at
           OR latest.rated_by_id IS DISTINCT FROM NEW.updated_by_id THEN
            PERFORM mash_desk_refuse('A RAG rating and its deadline change only with a rating record.');
        END IF;
        IF OLD.rag IS NOT NULL AND coalesce(btrim(latest.reason), '') = '' THEN
            PERFORM mash_desk_refuse('Every change of RAG rating needs a reason.');
        END IF;
    END IF;
    IF OLD.status IN ('awaiting_authorisation', 'authorised') AND NEW.status IN ('authorised', 'returned')
       AND NEW.status <> OLD.status THEN
        SELECT manager_id, approved INTO latest FROM authorisation WHERE contact_id = NEW.id ORDER BY id DESC LIMIT 1;
        IF NOT FOUND OR latest.manager_id IS DISTINCT FROM NEW.updated_by_id
           OR latest.approved IS DISTINCT FROM (NEW.status = 'authorised') THEN
            PERFORM mash_desk_refuse('A decision is authorised or returned only with that manager''s own record.');
        END IF;
        IF NEW.status = 'authorised' AND EXISTS (
            SELECT 1 FROM threshold_decision d JOIN contact_child c ON c.id = d.contact_child_id
             WHERE c.contact_id = NEW.id AND mash_desk_current_decision(d.id)
               AND d.proposed_by_id = latest.manager_id) THEN
            PERFORM mash_desk_refuse('Four eyes: a manager cannot authorise a decision they proposed.');
        END IF;
    END IF;
    IF NEW.status IN ('authorised', 'awaiting_acceptance', 'accepted') AND NEW.status <> OLD.status
       AND NOT mash_desk_authorised_now(NEW.id) THEN
        PERFORM mash_desk_refuse('A contact moves on only after a manager authorised its decisions.');
    END IF;
    IF NEW.status = 'awaiting_acceptance' AND OLD.status <> 'awaiting_acceptance' AND NOT EXISTS (
        SELECT 1 FROM hand_off WHERE contact_id = NEW.id AND status = 'pending' AND sent_by_id = NEW.updated_by_id) THEN
        PERFORM mash_desk_refuse('A contact is handed off only with a hand-off record.');
    END IF;
    IF OLD.status = 'awaiting_acceptance' AND NEW.status <> 'awaiting_acceptance' AND NOT EXISTS (
        SELECT 1 FROM hand_off WHERE contact_id = NEW.id AND responded_by_id = NEW.updated_by_id
           AND status = CASE WHEN NEW.status = 'accepted' THEN 'accepted' ELSE 'rejected' END) THEN
        PERFORM mash_desk_refuse('Only the receiving team, answering the hand-off, can accept or reject it.');
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_decision_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.proposed_by_id := mash_desk_actor_id();
    IF NEW.status <> '{proposed}' THEN
        PERFORM mash_desk_refuse('A threshold decision starts as a proposal.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM contact_child cc JOIN contact c ON c.id = cc.contact_id
                    WHERE cc.id = NEW.contact_child_id AND c.status IN ({working})) THEN
        PERFORM mash_desk_refuse('A decision can be proposed only while the contact is being worked on.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_decision_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    IF OLD.status <> '{proposed}' THEN
        PERFORM mash_desk_refuse('A decision that was authorised, returned or replaced never changes.');
    END IF;
    IF NEW.status IN ('{authorised}', 'returned') AND NOT mash_desk_decides(
        (SELECT contact_id FROM contact_child WHERE id = OLD.contact_child_id)) THEN
        PERFORM mash_desk_refuse('Only a manager of the team that owns this contact authorises or returns '
                                 'its decisions.');
    END IF;
    IF NEW.status = '{authorised}' AND OLD.proposed_by_id = me THEN
        PERFORM mash_desk_refuse('Four eyes: you proposed this decision, so another manager must authorise it.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_contact_child_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    -- the authorised result is copied here by the authorising manager; the open-case route marks it
    IF NOT mash_desk_has_job('manager') AND NOT (
        NEW.outcome = '{pass_outcome}' AND NEW.level_of_need IS NOT DISTINCT FROM OLD.level_of_need
        AND NEW.primary_need IS NOT DISTINCT FROM OLD.primary_need) THEN
        PERFORM mash_desk_refuse('Only the authorising manager records a child''s outcome.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_authorisation_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.manager_id := mash_desk_actor_id();
    IF NOT mash_desk_decides(NEW.contact_id) THEN
        PERFORM mash_desk_refuse('Only a manager of the team that owns this contact authorises or returns '
                                 'its decisions.');
    END IF;
    IF NEW.approved AND EXISTS (
        SELECT 1 FROM threshold_decision d JOIN contact_child c ON c.id = d.contact_child_id
         WHERE c.contact_id = NEW.contact_id AND mash_desk_current_decision(d.id)
           AND d.proposed_by_id = NEW.manager_id) THEN
        PERFORM mash_desk_refuse('Four eyes: a manager cannot authorise a decision they proposed.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_consent_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.recorded_by_id := mash_desk_actor_id();
    IF NEW.override THEN
        -- the authorising manager records it in person: nobody can name a manager who never saw it
        IF NOT mash_desk_has_job('manager') THEN
            PERFORM mash_desk_refuse('A team manager records sharing without consent in person.');
        END IF;
        NEW.override_authorised_by_id := NEW.recorded_by_id;
        IF NEW.override_basis IS NULL OR coalesce(btrim(NEW.override_reason), '') = '' THEN
            PERFORM mash_desk_refuse('An override needs its lawful basis and a reason.');
        END IF;
    ELSIF NEW.override_authorised_by_id IS NOT NULL OR NEW.override_basis IS NOT NULL THEN
        PERFORM mash_desk_refuse('Only an override names who authorised it.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_request_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.requested_by_id := mash_desk_actor_id();
    IF NEW.status <> 'outstanding' OR NEW.returned_by_id IS NOT NULL OR NEW.returned_at IS NOT NULL
       OR NEW.summary IS NOT NULL THEN
        PERFORM mash_desk_refuse('A new agency request is outstanding, with nothing returned yet.');
    END IF;
    IF NOT mash_desk_sharing_allowed(NEW.contact_id, (SELECT code FROM agency WHERE id = NEW.agency_id)) THEN
        PERFORM mash_desk_refuse('Consent (or an authorised override) does not cover asking this agency.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_request_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    IF OLD.status <> 'outstanding' THEN
        PERFORM mash_desk_refuse('A returned or withdrawn agency request never changes.');
    END IF;
    IF NEW.status = 'returned' THEN
        IF (SELECT agency_id FROM app_user WHERE id = me) IS DISTINCT FROM OLD.agency_id THEN
            PERFORM mash_desk_refuse('Only the agency that was asked can record its return.');
        END IF;
        NEW.returned_by_id := me;
    ELSIF NOT (mash_desk_has_job('practitioner') OR mash_desk_has_job('manager')) THEN
        PERFORM mash_desk_refuse('Only the MASH can withdraw a request or move its deadline.');
    ELSIF NEW.summary IS NOT NULL OR NEW.returned_by_id IS NOT NULL OR NEW.returned_at IS NOT NULL
          OR NEW.confidentiality IS DISTINCT FROM OLD.confidentiality THEN
        PERFORM mash_desk_refuse('Only the agency that was asked can record what it knows.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_hand_off_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.sent_by_id := mash_desk_actor_id();
    IF NEW.status <> 'pending' OR NEW.responded_by_id IS NOT NULL OR NEW.responded_at IS NOT NULL THEN
        PERFORM mash_desk_refuse('A new hand-off waits for the receiving team.');
    END IF;
    IF NOT mash_desk_sharing_allowed(NEW.contact_id, NULL) THEN
        PERFORM mash_desk_refuse('Consent (or an authorised override) must be recorded before a hand-off.');
    END IF;
    IF NOT mash_desk_authorised_now(NEW.contact_id) THEN
        PERFORM mash_desk_refuse('A contact is handed off only after a manager authorised its decisions.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_hand_off_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    IF OLD.status <> 'pending' OR NEW.status NOT IN ('accepted', 'rejected') THEN
        PERFORM mash_desk_refuse('A hand-off is answered once: accepted or rejected.');
    END IF;
    IF (SELECT team_id FROM app_user WHERE id = me) IS DISTINCT FROM OLD.team_id
       OR NOT (mash_desk_has_job('practitioner') OR mash_desk_has_job('manager') OR mash_desk_has_job('agency')) THEN
        PERFORM mash_desk_refuse('Only a practitioner or manager of the receiving team can accept or reject '
                                 'a hand-off.');
    END IF;
    IF NEW.status = 'rejected' AND coalesce(btrim(NEW.rejection_reason), '') = '' THEN
        PERFORM mash_desk_refuse('A rejected hand-off needs a reason.');
    END IF;
    NEW.responded_by_id := me;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_note_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.author_id := mash_desk_actor_id();
    IF NEW.kind = 'management_oversight' AND NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager records management oversight.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_letter_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.issued_by_id := mash_desk_actor_id();
    -- the digest is the database's own, of the bytes it stores
    NEW.sha256 := CASE WHEN NEW.pdf IS NULL THEN NULL ELSE encode(sha256(NEW.pdf), 'hex') END;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_job_names() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[{jobs}]
$$;

CREATE OR REPLACE FUNCTION mash_desk_agency_named(p_code text) RETURNS integer LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    found integer;
BEGIN
    SELECT id INTO found FROM agency WHERE code = p_code;
    IF found IS NULL THEN
        PERFORM mash_desk_refuse(format('There is no agency %s.', p_code));
    END IF;
    RETURN found;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_team_named(p_name text) RETURNS integer LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    found integer;
BEGIN
    IF p_name IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT id INTO found FROM team WHERE name = p_name;
    IF found IS NULL THEN
        PERFORM mash_desk_refuse(format('There is no team called %s.', p_name));
    END IF;
    RETURN found;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_leave_jobs(p_username text) RETURNS void LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    job text;
BEGIN
    -- out of every job group of this hub (and so unable to connect), before joining one again
    FOREACH job IN ARRAY mash_desk_job_names() LOOP
        EXECUTE format('REVOKE %I FROM %I', '{hub.prefix}_' || job, p_username);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_add_user(
    p_username text, p_display_name text, p_job text, p_agency_code text, p_team_name text,
    p_job_title text, p_phone text, p_email text, p_gcp_licensed boolean, p_password_verifier text
) RETURNS integer LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    first_user boolean := NOT EXISTS (SELECT 1 FROM app_user);
    existing record;
    v_agency integer;
    v_team integer;
    uid integer;
BEGIN
    IF NOT first_user AND NOT mash_desk_has_job('admin') THEN
        PERFORM mash_desk_refuse('Only an administrator can add users.');
    END IF;
    IF p_username !~ '^[a-z][a-z0-9_.-]{{1,62}}$' OR p_username LIKE 'pg\\_%'
       OR p_username LIKE '{hub.prefix}\\_%' THEN
        PERFORM mash_desk_refuse(format('%s cannot be a MASH Desk login name.', p_username));
    END IF;
    IF NOT p_job = ANY (mash_desk_job_names()) THEN
        PERFORM mash_desk_refuse(format('%s is not a MASH Desk job.', p_job));
    END IF;
    IF first_user AND p_job <> 'admin' THEN
        PERFORM mash_desk_refuse('The first user of a new database must be its administrator.');
    END IF;
    v_agency := mash_desk_agency_named(p_agency_code);
    v_team := mash_desk_team_named(p_team_name);
    SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls AS powerful
      INTO existing FROM pg_roles WHERE rolname = p_username;
    IF NOT FOUND THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_username);
    ELSIF existing.powerful THEN
        PERFORM mash_desk_refuse(format('The login %s has server-wide powers; it cannot be a MASH Desk user.',
                                        p_username));
    END IF;
    EXECUTE format('GRANT %I TO %I', '{hub.prefix}_' || p_job, p_username);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L', p_username, current_database(),
                   '{STATEMENT_TIMEOUT}');
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L', p_username,
                   current_database(), '{IDLE_IN_TRANSACTION_TIMEOUT}');
    INSERT INTO app_user (username, display_name, role, team_id, agency_id, job_title, phone, email,
                          gcp_licensed, active)
    VALUES (p_username, p_display_name, p_job, v_team, v_agency, p_job_title, p_phone, p_email,
            p_gcp_licensed, true)
    RETURNING id INTO uid;
    IF p_password_verifier IS NOT NULL THEN
        PERFORM mash_desk_set_password(p_username, p_password_verifier);
    END IF;
    IF NOT first_user THEN
        PERFORM mash_desk_audit('user.add', 'app_user', uid, NULL,
                                json_build_object('username', p_username, 'role', p_job)::text);
    END IF;
    RETURN uid;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_set_user_job(p_username text, p_job text, p_agency_code text,
                                                  p_team_name text) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_user record;
    v_agency integer;
    v_team integer;
BEGIN
    IF NOT mash_desk_has_job('admin') THEN
        PERFORM mash_desk_refuse('Only an administrator can change someone''s job.');
    END IF;
    SELECT id, role, active INTO v_user FROM app_user WHERE username = p_username;
    IF NOT FOUND THEN
        PERFORM mash_desk_refuse(format('There is no user %s.', p_username));
    END IF;
    IF NOT p_job = ANY (mash_desk_job_names()) THEN
        PERFORM mash_desk_refuse(format('%s is not a MASH Desk job.', p_job));
    END IF;
    IF v_user.role = 'admin' AND p_job <> 'admin' AND NOT EXISTS (
        SELECT 1 FROM app_user WHERE role = 'admin' AND active AND username <> p_username) THEN
        PERFORM mash_desk_refuse('This is the last administrator; make someone else administrator first.');
    END IF;
    v_agency := mash_desk_agency_named(p_agency_code);
    v_team := mash_desk_team_named(p_team_name);
    PERFORM mash_desk_leave_jobs(p_username);
    IF v_user.active THEN
        EXECUTE format('GRANT %I TO %I', '{hub.prefix}_' || p_job, p_username);
    END IF;
    UPDATE app_user SET role = p_job, agency_id = v_agency, team_id = v_team WHERE id = v_user.id;
    PERFORM mash_desk_audit('user.set_job', 'app_user', v_user.id, NULL,
                            json_build_object('username', p_username, 'from', v_user.role, 'to', p_job,
                                              'agency', p_agency_code, 'team', p_team_name)::text);
END $$;

CREATE OR REPLACE FUNCTION mash_desk_set_user_active(p_username text, p_active boolean, p_reason text) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_user record;
BEGIN
    IF NOT mash_desk_has_job('admin') THEN
        PERFORM mash_desk_refuse('Only an administrator can switch accounts on or off.');
    END IF;
    IF coalesce(btrim(p_reason), '') = '' THEN
        PERFORM mash_desk_refuse('Say why the account is being switched on or off.');
    END IF;
    SELECT id, role INTO v_user FROM app_user WHERE username = p_username;
    IF NOT FOUND THEN
        PERFORM mash_desk_refuse(format('There is no user %s.', p_username));
    END IF;
    IF NOT p_active AND p_username = mash_desk_invoker() THEN
        PERFORM mash_desk_refuse('You cannot switch off your own account.');
    END IF;
    -- membership is what lets a login in: without a job group it cannot even CONNECT here
    PERFORM mash_desk_leave_jobs(p_username);
    IF p_active THEN
        EXECUTE format('GRANT %I TO %I', '{hub.prefix}_' || v_user.role, p_username);
    END IF;
    UPDATE app_user SET active = p_active WHERE id = v_user.id;
    PERFORM mash_desk_audit(CASE WHEN p_active THEN 'user.enable' ELSE 'user.disable' END, 'app_user', v_user.id,
                            NULL, json_build_object('username', p_username, 'reason', p_reason)::text);
END $$;

CREATE OR REPLACE FUNCTION mash_desk_set_password(p_username text, p_verifier text) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT mash_desk_has_job('admin') THEN
        PERFORM mash_desk_refuse('Only an administrator can set someone else''s password.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE username = p_username) THEN
        PERFORM mash_desk_refuse(format('There is no user %s.', p_username));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username AND (rolsuper OR rolcreaterole)) THEN
        PERFORM mash_desk_refuse(format('The login %s has server-wide powers; set its password on the server.',
                                        p_username));
    END IF;
    -- only a SCRAM verifier made on the workstation: the password itself never reaches the server
    IF p_verifier IS NULL OR p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        PERFORM mash_desk_refuse('A password must arrive as a SCRAM-SHA-256 verifier.');
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_username, p_verifier);
    PERFORM mash_desk_audit('user.set_password', 'app_user', (SELECT id FROM app_user WHERE username = p_username),
                            NULL, json_build_object('username', p_username)::text);
END $$;
"""


def _install_functions(conn: Connection, hub: HubRoles) -> None:
    conn.exec_driver_sql(_function_sql(hub).replace("%", "%%"))
    for function in _FUNCTION_NAMES:
        _sql(conn, f'ALTER FUNCTION public.{function} OWNER TO "{hub.owner}"')
        _sql(conn, f"REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC")
    notify = conn.execute(text("SELECT 1 FROM pg_proc WHERE proname = 'mash_desk_notify_change'")).scalar()
    if notify:
        _sql(conn, f'ALTER FUNCTION public.mash_desk_notify_change() OWNER TO "{hub.owner}"')


# --- row-level security ------------------------------------------------------------------------------


# Two rules, both bound to the login. Restricted records: a contact or person a manager restricted
# is hidden, with everything on it, from everyone the rule does not clear (mash_desk_cleared, asked
# only where a restriction exists). Partner agencies: a partner's login sees only the contacts its
# agency was asked about or its team was handed, what hangs off them, and its own requests. The
# agency rules lean on the contact's and person's own policies, so visibility follows one chain;
# agency_request and hand_off lean on nothing, so no policy recurs.
def _not_hidden(table: str, column: str, kind: str = "contact") -> str:
    # a probe into the (small) restrictions table per row: the rule's function runs only where a
    # restriction exists, so an unrestricted hub pays an index look-up and nothing more
    key = "contact_id" if kind == "contact" else "person_id"
    return (
        f"NOT EXISTS (SELECT 1 FROM record_restriction rr WHERE rr.{key} = {table}.{column} AND rr.lifted_at IS NULL "
        "AND NOT mash_desk_cleared(rr.id, rr.restricted_by_id, rr.contact_id))"
    )


def _via_contact(table: str, column: str = "contact_id") -> str:
    return f"EXISTS (SELECT 1 FROM contact c WHERE c.id = {table}.{column})"


def _via_person(table: str, column: str = "person_id") -> str:
    return f"EXISTS (SELECT 1 FROM person p WHERE p.id = {table}.{column})"


_MY_AGENCY = "mash_desk_my_agency()"
_MY_TEAM = "mash_desk_my_team()"

# table: (what the MASH's own staff see, what a partner agency sees)
ROW_RULES: dict[str, tuple[str, str]] = {
    "contact": (
        _not_hidden("contact", "id"),
        f"{_not_hidden('contact', 'id')} AND (EXISTS (SELECT 1 FROM agency_request r WHERE r.contact_id = contact.id "
        f"AND r.agency_id = {_MY_AGENCY}) OR EXISTS (SELECT 1 FROM hand_off h WHERE h.contact_id = contact.id "
        f"AND h.team_id = {_MY_TEAM}))",
    ),
    "person": (
        _not_hidden("person", "id", "person"),
        f"{_not_hidden('person', 'id', 'person')} AND ("
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.person_id = person.id) "
        "OR EXISTS (SELECT 1 FROM contact_adult ca WHERE ca.person_id = person.id))",
    ),
    "agency_request": (
        _not_hidden("agency_request", "contact_id"),
        f"{_not_hidden('agency_request', 'contact_id')} AND agency_id = {_MY_AGENCY}",
    ),
    "hand_off": (
        _not_hidden("hand_off", "contact_id"),
        f"{_not_hidden('hand_off', 'contact_id')} AND (team_id = {_MY_TEAM} OR EXISTS (SELECT 1 FROM agency_request r "
        f"WHERE r.contact_id = hand_off.contact_id AND r.agency_id = {_MY_AGENCY}))",
    ),
    **{
        table: (_not_hidden(table, "contact_id"), _via_contact(table))
        for table in (
            "contact_concern",
            "consent_decision",
            "rag_rating",
            "authorisation",
            "dash_assessment",
        )
    },
    **{
        table: (
            f"{_not_hidden(table, 'contact_id')} AND {_not_hidden(table, 'person_id', 'person')}",
            _via_contact(table),
        )
        for table in ("contact_child", "contact_adult")
    },
    "threshold_decision": (
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.id = threshold_decision.contact_child_id)",
        "EXISTS (SELECT 1 FROM contact_child cc WHERE cc.id = threshold_decision.contact_child_id)",
    ),
    "case_note": (
        f"{_not_hidden('case_note', 'contact_id')} AND {_not_hidden('case_note', 'person_id', 'person')}",
        f"{_via_contact('case_note')} OR {_via_person('case_note')}",
    ),
    "gcp_assessment": (
        f"{_not_hidden('gcp_assessment', 'contact_id')} AND {_not_hidden('gcp_assessment', 'child_id', 'person')}",
        f"{_via_contact('gcp_assessment')} OR {_via_person('gcp_assessment', 'child_id')}",
    ),
    # outcome letters are between the MASH and the family or referrer: no partner reads them
    "letter": (_not_hidden("letter", "contact_id"), "false"),
    **{
        table: (_not_hidden(table, "person_id", "person"), _via_person(table))
        for table in ("person_alias", "person_name_key", "household_member")
    },
    "household": ("true", "EXISTS (SELECT 1 FROM contact c WHERE c.household_id = household.id)"),
    "relationship": (
        f"{_not_hidden('relationship', 'child_id', 'person')} AND {_not_hidden('relationship', 'adult_id', 'person')}",
        f"{_via_person('relationship', 'child_id')} OR {_via_person('relationship', 'adult_id')}",
    ),
}
_POLICIES = ("mash_desk_staff", "mash_desk_agency_read", "mash_desk_agency_write", "mash_desk_agency_change")


def install_row_security(conn: Connection, hub: HubRoles) -> None:
    """Row-level security bound to the login (the owner, and so the rules' own functions, bypass it)."""
    others = ", ".join(f'"{hub.job(job)}"' for job in Role if job is not Role.AGENCY)
    agency = f'"{hub.job(Role.AGENCY)}"'
    present = existing_tables(conn)
    for table, (staff_sees, agency_sees) in ROW_RULES.items():
        if table not in present:
            continue
        for policy in _POLICIES:
            _sql(conn, f'DROP POLICY IF EXISTS {policy} ON public."{table}"')
        _sql(conn, f'ALTER TABLE public."{table}" ENABLE ROW LEVEL SECURITY')
        _sql(
            conn,
            f'CREATE POLICY mash_desk_staff ON public."{table}" FOR ALL TO {others} '
            f"USING ({staff_sees}) WITH CHECK ({staff_sees})",
        )
        _sql(
            conn,
            f'CREATE POLICY mash_desk_agency_read ON public."{table}" FOR SELECT TO {agency} USING ({agency_sees})',
        )
        _sql(
            conn,
            f'CREATE POLICY mash_desk_agency_write ON public."{table}" FOR INSERT TO {agency} '
            f"WITH CHECK ({agency_sees})",
        )
        _sql(
            conn,
            f'CREATE POLICY mash_desk_agency_change ON public."{table}" FOR UPDATE TO {agency} '
            f"USING ({agency_sees}) WITH CHECK ({agency_sees})",
        )


# --- triggers --------------------------------------------------------------------------------------

_CONTACT_WORK_CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.assigned_to_id IS DISTINCT FROM NEW.assigned_to_id "
    "OR OLD.rag IS DISTINCT FROM NEW.rag OR OLD.team_id IS DISTINCT FROM NEW.team_id"
)

# (table, "BEFORE INSERT" / ..., function call, extra WHEN condition)
_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("contact", "BEFORE INSERT:mash_desk_guard_contact_insert()", ""),
    ("contact", "BEFORE UPDATE:mash_desk_guard_contact_update()", ""),
    ("contact", "AFTER UPDATE:mash_desk_check_contact_at_commit()", "DEFERRED"),
    ("contact", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("contact", "AFTER UPDATE:mash_desk_audit_row()", _CONTACT_WORK_CHANGED),
    ("threshold_decision", "BEFORE INSERT:mash_desk_guard_decision_insert()", ""),
    ("threshold_decision", "BEFORE UPDATE:mash_desk_guard_decision_update()", ""),
    ("threshold_decision", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("contact_child", "BEFORE UPDATE:mash_desk_guard_contact_child_update()", ""),
    ("authorisation", "BEFORE INSERT:mash_desk_guard_authorisation_insert()", ""),
    ("authorisation", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("consent_decision", "BEFORE INSERT:mash_desk_guard_consent_insert()", ""),
    ("consent_decision", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("rag_rating", "BEFORE INSERT:mash_desk_stamp('rated_by_id')", ""),
    ("rag_rating", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("agency_request", "BEFORE INSERT:mash_desk_guard_request_insert()", ""),
    ("agency_request", "BEFORE UPDATE:mash_desk_guard_request_update()", ""),
    ("agency_request", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("hand_off", "BEFORE INSERT:mash_desk_guard_hand_off_insert()", ""),
    ("hand_off", "BEFORE UPDATE:mash_desk_guard_hand_off_update()", ""),
    ("hand_off", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("case_note", "BEFORE INSERT:mash_desk_guard_note_insert()", ""),
    ("case_note", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("dash_assessment", "BEFORE INSERT:mash_desk_stamp('assessed_by_id')", ""),
    ("dash_assessment", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("gcp_assessment", "BEFORE INSERT:mash_desk_stamp('assessor_id')", ""),
    ("gcp_assessment", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("letter", "BEFORE INSERT:mash_desk_guard_letter_insert()", ""),
    ("letter", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("person", "AFTER UPDATE:mash_desk_audit_row()", ""),
    ("record_restriction", "BEFORE INSERT OR UPDATE:mash_desk_guard_restriction()", ""),
    ("record_restriction", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("glass_break", "BEFORE INSERT:mash_desk_guard_glass_break_insert()", ""),
    ("glass_break", "AFTER INSERT:mash_desk_audit_row()", ""),
)


def _trigger_name(table: str, spec: str) -> str:
    timing, call = spec.split(":", 1)
    function = call.split("(", 1)[0].removeprefix("mash_desk_")
    return f"mash_desk_{timing.split()[0].lower()}_{'_'.join(timing.split()[1:]).lower()}_{function}"[:63]


def _install_triggers(conn: Connection, hub: HubRoles) -> None:
    # staff only: the owner (migrations, the administrators' functions) and superusers (the demo
    # loader) are not checked, so a bulk load pays nothing
    staff_only = f"current_setting('is_superuser') = 'off' AND current_user <> '{hub.owner}'"
    present = existing_tables(conn)
    for table, spec, extra in _TRIGGERS:
        if table not in present:
            continue
        timing, call = spec.split(":", 1)
        name = _trigger_name(table, spec)
        _sql(conn, f'DROP TRIGGER IF EXISTS "{name}" ON public."{table}"')
        if extra == "DEFERRED":
            _sql(
                conn,
                f'CREATE CONSTRAINT TRIGGER "{name}" {timing} '
                f'ON public."{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                f"WHEN ({staff_only}) EXECUTE FUNCTION {call}",
            )
            continue
        when = f"{staff_only} AND ({extra})" if extra else staff_only
        _sql(
            conn,
            f'CREATE TRIGGER "{name}" {timing} ON public."{table}" FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {call}',
        )
