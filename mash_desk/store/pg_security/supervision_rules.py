# ruff: noqa: S608 - this module writes SQL from its own constants only
"""Supervision's rules in the database (issue 14): only a manager records a practitioner's supervision,
and each case discussed carries that manager's own management oversight note on the same contact."""

from __future__ import annotations

from mash_desk.store.pg_security.functions import DEFINER as _DEFINER

SUPERVISION_FUNCTIONS = (
    "mash_desk_guard_supervision_insert()",
    "mash_desk_guard_supervision_case_insert()",
)


def supervision_sql() -> str:
    """The two insert guards (trigger functions)."""
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_guard_supervision_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager records supervision.');
    END IF;
    NEW.recorded_by_id := mash_desk_actor_id();
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE id = NEW.practitioner_id AND role = 'practitioner' AND active) THEN
        PERFORM mash_desk_refuse('Supervision is recorded for an active practitioner.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE id = NEW.supervisor_id AND role = 'manager' AND active) THEN
        PERFORM mash_desk_refuse('The supervisor is an active manager.');
    END IF;
    IF NEW.held_on > current_date THEN
        PERFORM mash_desk_refuse('A supervision cannot be recorded before it has happened.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_supervision_case_insert() RETURNS trigger
LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager records supervision.');
    END IF;
    -- the chronology entry is the point: the case's own oversight note, written by this manager
    IF NOT EXISTS (SELECT 1 FROM case_note n WHERE n.id = NEW.note_id AND n.contact_id = NEW.contact_id
                   AND n.kind = 'management_oversight' AND n.author_id = mash_desk_actor_id()) THEN
        PERFORM mash_desk_refuse('A case discussed in supervision is written on its contact as management oversight.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM supervision s WHERE s.id = NEW.supervision_id
                   AND s.recorded_by_id = mash_desk_actor_id()) THEN
        PERFORM mash_desk_refuse('Cases are added to a supervision by the manager who recorded it.');
    END IF;
    RETURN NEW;
END $$;"""
