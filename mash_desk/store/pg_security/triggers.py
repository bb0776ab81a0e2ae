"""Which function guards which table, and when: the triggers, skipped for the owner and superusers."""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from mash_desk.store.pg_security.case_audits import CASE_AUDIT_TRIGGERS
from mash_desk.store.pg_security.exercises import EXERCISE_TRIGGERS
from mash_desk.store.pg_security.privileges import MERGE_REPOINTS, REPOINT_KEYS
from mash_desk.store.pg_security.roles import HubRoles, existing_tables, run_sql

_CONTACT_WORK_CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.assigned_to_id IS DISTINCT FROM NEW.assigned_to_id "
    "OR OLD.rag IS DISTINCT FROM NEW.rag OR OLD.team_id IS DISTINCT FROM NEW.team_id"
)

# (table, "BEFORE INSERT" / ..., function call, extra WHEN condition)
TRIGGERS: tuple[tuple[str, str, str], ...] = (
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
    ("gcp_assessment", "BEFORE INSERT:mash_desk_guard_gcp_insert()", ""),
    ("gcp_assessment", "BEFORE INSERT:mash_desk_stamp('assessor_id')", ""),
    ("gcp_assessment", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("family_conversation", "BEFORE INSERT:mash_desk_stamp('recorded_by_id')", ""),
    ("family_conversation", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("pattern_response", "BEFORE INSERT:mash_desk_stamp('decided_by_id')", ""),
    ("pattern_response", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("marac_referral", "BEFORE INSERT:mash_desk_guard_marac_insert()", ""),
    ("marac_referral", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("hand_off_chase", "BEFORE INSERT:mash_desk_guard_chase_insert()", ""),
    ("hand_off_chase", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("letter", "BEFORE INSERT:mash_desk_guard_letter_insert()", ""),
    ("letter", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("person", "AFTER UPDATE:mash_desk_audit_row()", ""),
    ("record_restriction", "BEFORE INSERT OR UPDATE:mash_desk_guard_restriction()", ""),
    ("record_restriction", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("glass_break", "BEFORE INSERT:mash_desk_guard_glass_break_insert()", ""),
    ("glass_break", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("person_merge", "BEFORE INSERT:mash_desk_guard_merge_insert()", ""),
    ("person_merge", "BEFORE UPDATE:mash_desk_guard_merge_update()", ""),
    ("person_merge", "AFTER INSERT OR UPDATE:mash_desk_audit_row()", ""),
    ("person_merge_move", "BEFORE INSERT:mash_desk_guard_merge_move_insert()", ""),
    ("supervision", "BEFORE INSERT:mash_desk_guard_supervision_insert()", ""),
    ("supervision", "AFTER INSERT:mash_desk_audit_row()", ""),
    ("supervision_case", "BEFORE INSERT:mash_desk_guard_supervision_case_insert()", ""),
    ("supervision_case", "AFTER INSERT:mash_desk_audit_row()", ""),
    (
        "person",
        "BEFORE UPDATE:mash_desk_guard_person_merged()",
        "OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id",
    ),
    *(
        (
            table,
            f"BEFORE UPDATE:mash_desk_guard_repoint({', '.join(repr(c) for c in (REPOINT_KEYS[table], *columns))})",
            " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns),
        )
        for table, columns in MERGE_REPOINTS.items()
    ),
    *EXERCISE_TRIGGERS,
    *CASE_AUDIT_TRIGGERS,
)


def trigger_name(table: str, spec: str) -> str:
    timing, call = spec.split(":", 1)
    function = call.split("(", 1)[0].removeprefix("mash_desk_")
    return f"mash_desk_{timing.split()[0].lower()}_{'_'.join(timing.split()[1:]).lower()}_{function}"[:63]


def _columns_exist(conn: Connection, table: str, when: str) -> bool:
    """Whether the columns a trigger's condition names exist yet (0003 runs today's rules on older tables)."""
    named = set(re.findall(r"\b(?:OLD|NEW)\.(\w+)", when))
    if not named:
        return True
    found = set(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = :t AND column_name = ANY(:c)"
            ),
            {"t": table, "c": sorted(named)},
        ).scalars()
    )
    return found == named


def install_triggers(conn: Connection, hub: HubRoles) -> None:
    # staff only: the owner (migrations, the administrators' functions) and superusers (the demo
    # loader) are not checked, so a bulk load pays nothing
    staff_only = f"current_setting('is_superuser') = 'off' AND current_user <> '{hub.owner}'"
    present = existing_tables(conn)
    for table, spec, extra in TRIGGERS:
        if table not in present or not _columns_exist(conn, table, extra):
            continue
        timing, call = spec.split(":", 1)
        name = trigger_name(table, spec)
        run_sql(conn, f'DROP TRIGGER IF EXISTS "{name}" ON public."{table}"')
        if extra == "DEFERRED":
            run_sql(
                conn,
                f'CREATE CONSTRAINT TRIGGER "{name}" {timing} '
                f'ON public."{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                f"WHEN ({staff_only}) EXECUTE FUNCTION {call}",
            )
            continue
        when = f"{staff_only} AND ({extra})" if extra else staff_only
        run_sql(
            conn,
            f'CREATE TRIGGER "{name}" {timing} ON public."{table}" FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {call}',
        )
