# ruff: noqa: S608 - this module writes SQL from its own constants only
"""The multi-agency case audit in the database (issue 14 part 1).

- Only managers and auditors (the partnership's business unit) set an audit up, choose its auditors,
  draw its sample and agree its actions: grants, and each row's "by whom" stamped from the login.
- An audit, its cases and its grades are read by its own auditors and by managers and auditors;
  nobody else (row-level security bound to the login). A partner agency's login assigned to an audit
  reads the sampled contacts, and what hangs off them, through the contact's own policy.
- A case is graded only by an auditor assigned to its audit, once, as themselves; a grade's findings
  only by whoever made the grade. Grades and findings are never changed; an action is done once.
"""

from __future__ import annotations

from mash_desk.domain.enums import Role

_DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"
_OVERSEERS = (Role.MANAGER, Role.AUDITOR)
_EVERYONE = tuple(Role)

CASE_AUDIT_FUNCTIONS = (
    "mash_desk_audit_overseer()",
    "mash_desk_audits_me(integer)",
    "mash_desk_my_audit_contacts()",
    "mash_desk_guard_audit_grade_insert()",
    "mash_desk_guard_audit_finding_insert()",
    "mash_desk_guard_audit_action_update()",
)
CASE_AUDIT_STAFF_FUNCTIONS = (
    "mash_desk_audit_overseer()",
    "mash_desk_audits_me(integer)",
    "mash_desk_my_audit_contacts()",
)

# what a partner agency's login also sees of the contacts: those of the audits it is assigned to
# (an InitPlan: the function runs once per query, not once per contact)
AUDITED_CONTACT = "contact.id = ANY ((SELECT mash_desk_my_audit_contacts())::integer[])"

_GRANTS = tuple[tuple[str, tuple[str, ...] | None, tuple[Role, ...]], ...]
CASE_AUDIT_PRIVILEGES: dict[str, _GRANTS] = {
    "case_audit": (("SELECT", None, _EVERYONE), ("INSERT", None, _OVERSEERS)),
    "case_audit_auditor": (("SELECT", None, _EVERYONE), ("INSERT", None, _OVERSEERS)),
    "case_audit_case": (("SELECT", None, _EVERYONE), ("INSERT", None, _OVERSEERS)),
    # any job may be an auditor of a case audit: the guard checks the assignment
    "case_audit_grade": (("SELECT", None, _EVERYONE), ("INSERT", None, _EVERYONE)),
    "case_audit_finding": (("SELECT", None, _EVERYONE), ("INSERT", None, _EVERYONE)),
    "case_audit_action": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _OVERSEERS),
        ("UPDATE", ("done_at", "done_by_id", "done_note"), _OVERSEERS),
    ),
}

_MINE = "mash_desk_audit_overseer() OR mash_desk_audits_me({audit})"


def _rule(audit: str) -> tuple[str, str]:
    rule = _MINE.format(audit=audit)
    return rule, rule


CASE_AUDIT_ROW_RULES: dict[str, tuple[str, str]] = {
    "case_audit": _rule("case_audit.id"),
    "case_audit_auditor": _rule("case_audit_auditor.audit_id"),
    "case_audit_case": _rule("case_audit_case.audit_id"),
    "case_audit_grade": _rule(
        "(SELECT c.audit_id FROM case_audit_case c WHERE c.id = case_audit_grade.case_id)",
    ),
    "case_audit_finding": _rule(
        "(SELECT c.audit_id FROM case_audit_grade g JOIN case_audit_case c ON c.id = g.case_id "
        "WHERE g.id = case_audit_finding.grade_id)",
    ),
    "case_audit_action": _rule("case_audit_action.audit_id"),
}

CASE_AUDIT_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("case_audit", "BEFORE INSERT:mash_desk_stamp('created_by_id')", ""),
    ("case_audit", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("case_audit_auditor", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("case_audit_case", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("case_audit_grade", "BEFORE INSERT:mash_desk_guard_audit_grade_insert()", ""),
    ("case_audit_grade", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("case_audit_finding", "BEFORE INSERT:mash_desk_guard_audit_finding_insert()", ""),
    ("case_audit_finding", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("case_audit_action", "BEFORE INSERT:mash_desk_stamp('created_by_id')", ""),
    ("case_audit_action", "BEFORE UPDATE:mash_desk_guard_audit_action_update()", ""),
    ("case_audit_action", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
)

TABLES_WITHOUT_CONTACT = (
    "case_audit",
    "case_audit_auditor",
    "case_audit_grade",
    "case_audit_finding",
    "case_audit_action",
)


def case_audit_sql() -> str:
    """Who oversees audits, who is assigned, and the guards on grades, findings and actions."""
    overseers = " OR ".join(f"mash_desk_has_job('{role.value}')" for role in _OVERSEERS)
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_audit_overseer() RETURNS boolean LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT {overseers}
$$;

CREATE OR REPLACE FUNCTION mash_desk_audits_me(p_audit integer) RETURNS boolean LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT EXISTS (SELECT 1 FROM case_audit_auditor a JOIN app_user u ON u.id = a.user_id
                    WHERE a.audit_id = p_audit AND u.username = mash_desk_invoker() AND u.active)
$$;

CREATE OR REPLACE FUNCTION mash_desk_my_audit_contacts() RETURNS integer[] LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT coalesce(array_agg(DISTINCT c.contact_id), '{{}}')
      FROM case_audit_case c JOIN case_audit_auditor a ON a.audit_id = c.audit_id
      JOIN app_user u ON u.id = a.user_id
     WHERE u.username = mash_desk_invoker() AND u.active
$$;

CREATE OR REPLACE FUNCTION mash_desk_guard_audit_grade_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM case_audit_case c JOIN case_audit_auditor a ON a.audit_id = c.audit_id
                    WHERE c.id = NEW.case_id AND a.user_id = me) THEN
        PERFORM mash_desk_refuse('Only an auditor assigned to this audit grades its cases.');
    END IF;
    -- the grade is the login's own, whatever the workstation sent
    NEW.auditor_id := me;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_audit_finding_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM case_audit_grade g
                    WHERE g.id = NEW.grade_id AND g.auditor_id = mash_desk_actor_id()) THEN
        PERFORM mash_desk_refuse('Findings belong to the auditor who graded the case.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_audit_action_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF OLD.done_at IS NOT NULL THEN
        PERFORM mash_desk_refuse('That action is already done.');
    END IF;
    IF NEW.done_at IS NULL THEN
        PERFORM mash_desk_refuse('An action changes only to say it is done.');
    END IF;
    NEW.done_by_id := mash_desk_actor_id();
    RETURN NEW;
END $$;"""
