# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] column names only
"""Merging two records of one person, as the database keeps it: only a manager, only with a merge row.

A merge is a ``person_merge`` row (who, when, why) and a ``person_merge_move`` row for every row it
re-points from the merged record to the kept one. The guards below let a re-pointing update through
only when such a move row says so, in the merge's direction (or back, once the merge is undone), and
a person's ``merged_into_id`` change only with its merge row. The column grants already limit all of
it to managers.
"""

from __future__ import annotations

from mash_desk.store.pg_security.functions import DEFINER as _DEFINER
from mash_desk.store.pg_security.privileges import MERGE_REPOINTS, REPOINT_KEYS


def _left_behind() -> str:
    """A row still naming the merged record that the merge should have moved: one hidden from the
    manager by a restriction. (A (record, person) row stays where the kept record is already named.)"""
    checks = []
    for table, columns in MERGE_REPOINTS.items():
        key = REPOINT_KEYS[table]
        for column in columns:
            also_kept = (
                f" AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.{key} = r.{key} AND o.{column} = NEW.merged_into_id)"
                if key != "id"
                else ""
            )
            checks.append(f"EXISTS (SELECT 1 FROM {table} r WHERE r.{column} = OLD.id{also_kept})")
    return "\n        OR ".join(checks)


def _not_moved_back() -> str:
    """A row the merge moved that still names the kept record as the merge is undone."""
    checks = []
    for table, columns in MERGE_REPOINTS.items():
        key = REPOINT_KEYS[table]
        for column in columns:
            checks.append(
                f"EXISTS (SELECT 1 FROM person_merge_move mv JOIN {table} r ON r.{key} = mv.row_id "
                f"AND r.{column} = undone.kept_id WHERE mv.merge_id = undone.id AND mv.table_name = '{table}' "
                f"AND mv.column_name = '{column}')"
            )
    return "\n        OR ".join(checks)


def merge_sql() -> str:
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_guard_merge_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    NEW.merged_by_id := mash_desk_actor_id();
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a team manager merges two records of one person.');
    END IF;
    IF coalesce(btrim(NEW.reason), '') = '' THEN
        PERFORM mash_desk_refuse('A merge needs a reason.');
    END IF;
    IF NEW.undone_by_id IS NOT NULL OR NEW.undone_at IS NOT NULL OR NEW.undo_reason IS NOT NULL THEN
        PERFORM mash_desk_refuse('A new merge has not been undone.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_merge_update() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    IF OLD.undone_at IS NOT NULL THEN
        PERFORM mash_desk_refuse('A merge is undone once; it never changes again.');
    END IF;
    IF NEW.kept_id IS DISTINCT FROM OLD.kept_id OR NEW.merged_id IS DISTINCT FROM OLD.merged_id
       OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.merged_by_id IS DISTINCT FROM OLD.merged_by_id
       OR NEW.merged_at IS DISTINCT FROM OLD.merged_at THEN
        PERFORM mash_desk_refuse('What a merge did never changes; it can only be undone.');
    END IF;
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a team manager undoes a merge.');
    END IF;
    IF NEW.undone_at IS NULL OR coalesce(btrim(NEW.undo_reason), '') = '' THEN
        PERFORM mash_desk_refuse('Undoing a merge needs a reason.');
    END IF;
    NEW.undone_by_id := mash_desk_actor_id();
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_merge_move_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    -- moves are recorded by the manager making the merge, in the same unit, before it is undone
    IF NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.id = NEW.merge_id AND m.undone_at IS NULL
                      AND m.merged_by_id = mash_desk_actor_id()) THEN
        PERFORM mash_desk_refuse('A re-pointed row is recorded only by the manager making that merge.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_person_merged() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    undone record;
BEGIN
    IF NEW.merged_into_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM person_merge m WHERE m.merged_id = OLD.id AND m.kept_id = NEW.merged_into_id
           AND m.undone_at IS NULL) THEN
        PERFORM mash_desk_refuse('A record is merged into another only with a manager''s merge record.');
    END IF;
    IF NEW.merged_into_id IS NOT NULL AND (
        {_left_behind()}) THEN
        PERFORM mash_desk_refuse('Some of this record''s contacts are restricted and hidden from you, so it cannot '
                                 'be merged whole. Ask the manager who restricted them.');
    END IF;
    IF NEW.merged_into_id IS NULL AND EXISTS (
        SELECT 1 FROM person_merge m WHERE m.merged_id = OLD.id AND m.kept_id = OLD.merged_into_id
           AND m.undone_at IS NULL) THEN
        PERFORM mash_desk_refuse('A merge is undone only by recording who undid it and why.');
    END IF;
    IF NEW.merged_into_id IS NULL THEN
        SELECT * INTO undone FROM person_merge WHERE merged_id = OLD.id AND kept_id = OLD.merged_into_id
         ORDER BY id DESC LIMIT 1;
        IF FOUND AND (
        {_not_moved_back()}) THEN
            PERFORM mash_desk_refuse('Some rows this merge moved are restricted and hidden from you, so it cannot '
                                     'be undone whole. Ask the manager who restricted them.');
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_repoint() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    -- TG_ARGV[0]: the row's key column; the rest: the columns that name a person
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    key_value integer := (old_row ->> TG_ARGV[0])::integer;
    i integer;
    col text;
    was integer;
    now_is integer;
BEGIN
    IF (new_row ->> TG_ARGV[0]) IS DISTINCT FROM (old_row ->> TG_ARGV[0]) THEN
        PERFORM mash_desk_refuse('Only the person a row names changes in a merge.');
    END IF;
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        col := TG_ARGV[i];
        was := (old_row ->> col)::integer;
        now_is := (new_row ->> col)::integer;
        CONTINUE WHEN was IS NOT DISTINCT FROM now_is;
        IF NOT EXISTS (
            SELECT 1 FROM person_merge_move mv JOIN person_merge m ON m.id = mv.merge_id
             WHERE mv.table_name = TG_TABLE_NAME AND mv.column_name = col AND mv.row_id = key_value
               AND ((m.undone_at IS NULL AND m.merged_id = was AND m.kept_id = now_is)
                 OR (m.undone_at IS NOT NULL AND m.kept_id = was AND m.merged_id = now_is))) THEN
            PERFORM mash_desk_refuse('A row moves to another person only as a recorded merge (or its undoing).');
        END IF;
    END LOOP;
    RETURN NEW;
END $$;
"""
