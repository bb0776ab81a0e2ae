# ruff: noqa: S608 - this module writes SQL from its own constants only
"""The threshold exercise's rules in the database.

Only managers set an exercise up, write and review its vignettes, open and close it; only managers
and auditors read where a vignette came from and what was really decided (``vignette_source``, whose
real decision the database copies from the contact itself, whatever the workstation sends). Nobody
else sees a vignette before its exercise opens, or anyone's rating but their own. Reviewing is
stamped with the login that did it, nothing unreviewed is released, and nothing released changes. A
rating is stamped with the rater and their agency, taken only while the exercise is open, and never
from someone who prepared the exercise (they have seen the real family).
"""

from __future__ import annotations

from mash_desk.domain.enums import Role
from mash_desk.domain.exercises import MIN_VIGNETTES_TO_OPEN
from mash_desk.store.pg_security.functions import DEFINER as _DEFINER
from mash_desk.store.pg_security.hidden import not_hidden

_OVERSEERS = (Role.MANAGER, Role.AUDITOR)
_MANAGER = (Role.MANAGER,)
_RATERS = (Role.PRACTITIONER, Role.AGENCY, Role.MANAGER)
_EVERYONE = tuple(Role)

EXERCISE_FUNCTIONS = (
    "mash_desk_overseer()",
    "mash_desk_guard_exercise()",
    "mash_desk_guard_vignette()",
    "mash_desk_guard_vignette_source()",
    "mash_desk_guard_rating()",
)

# called by the row rules, so every member of staff may run it
EXERCISE_STAFF_FUNCTIONS = ("mash_desk_overseer()",)

EXERCISE_PRIVILEGES: dict[str, tuple[tuple[str, tuple[str, ...] | None, tuple[Role, ...]], ...]] = {
    "threshold_exercise": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _MANAGER),
        ("UPDATE", ("title", "status", "opened_by_id", "opened_at", "closed_by_id", "closed_at", "version"), _MANAGER),
    ),
    "exercise_vignette": (
        ("SELECT", None, _EVERYONE),
        ("INSERT", None, _MANAGER),
        ("UPDATE", ("text", "reviewed_by_id", "reviewed_at", "version"), _MANAGER),
    ),
    "vignette_source": (("SELECT", None, _OVERSEERS), ("INSERT", None, _MANAGER)),
    "vignette_rating": (("SELECT", None, _EVERYONE), ("INSERT", None, _RATERS)),
}

EXERCISE_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("threshold_exercise", "BEFORE INSERT OR UPDATE:mash_desk_guard_exercise()", ""),
    ("exercise_vignette", "BEFORE INSERT OR UPDATE:mash_desk_guard_vignette()", ""),
    ("vignette_source", "BEFORE INSERT:mash_desk_guard_vignette_source()", ""),
    ("vignette_rating", "BEFORE INSERT:mash_desk_guard_rating()", ""),
)

_RELEASED = (
    "(mash_desk_overseer() OR EXISTS (SELECT 1 FROM threshold_exercise e "
    "WHERE e.id = exercise_vignette.exercise_id AND e.status <> 'draft'))"
)
# the policy runs as the login, so current_user is the person asking
_OWN_OR_OVERSEEN = "(mash_desk_overseer() OR rater_id = (SELECT u.id FROM app_user u WHERE u.username = current_user))"
# table: (what the MASH's own staff see, what a partner agency sees), as pg_security.row_security
EXERCISE_ROW_RULES: dict[str, tuple[str, str]] = {
    "exercise_vignette": (_RELEASED, _RELEASED),
    "vignette_rating": (_OWN_OR_OVERSEEN, _OWN_OR_OVERSEEN),
}


def exercise_sql() -> str:
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_overseer() RETURNS boolean LANGUAGE sql STABLE {_DEFINER} AS $$
    SELECT mash_desk_has_job('manager') OR mash_desk_has_job('auditor')
$$;

CREATE OR REPLACE FUNCTION mash_desk_guard_exercise() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
    v_count integer;
    v_unreviewed integer;
BEGIN
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager sets up, opens or closes a threshold exercise.');
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            PERFORM mash_desk_refuse('An exercise starts as a draft.');
        END IF;
        NEW.created_by_id := me;
        NEW.created_at := now();
        NEW.opened_by_id := NULL;
        NEW.opened_at := NULL;
        NEW.closed_by_id := NULL;
        NEW.closed_at := NULL;
        RETURN NEW;
    END IF;
    IF OLD.status <> 'draft' AND NEW.title IS DISTINCT FROM OLD.title THEN
        PERFORM mash_desk_refuse('An exercise keeps its title once it is open.');
    END IF;
    IF NEW.status = OLD.status THEN
        IF NEW.opened_at IS DISTINCT FROM OLD.opened_at OR NEW.closed_at IS DISTINCT FROM OLD.closed_at
           OR NEW.opened_by_id IS DISTINCT FROM OLD.opened_by_id
           OR NEW.closed_by_id IS DISTINCT FROM OLD.closed_by_id THEN
            PERFORM mash_desk_refuse('Who opened and closed an exercise, and when, is the database''s record.');
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'draft' AND NEW.status = 'open' THEN
        SELECT count(*), count(*) FILTER (WHERE reviewed_at IS NULL) INTO v_count, v_unreviewed
          FROM exercise_vignette WHERE exercise_id = NEW.id;
        IF v_count < {MIN_VIGNETTES_TO_OPEN} THEN
            PERFORM mash_desk_refuse('An exercise needs at least {MIN_VIGNETTES_TO_OPEN} vignettes to open.');
        END IF;
        IF v_unreviewed > 0 THEN
            PERFORM mash_desk_refuse('Every vignette must be reviewed by a person before the exercise opens.');
        END IF;
        NEW.opened_by_id := me;
        NEW.opened_at := now();
    ELSIF OLD.status = 'open' AND NEW.status = 'closed' THEN
        NEW.closed_by_id := me;
        NEW.closed_at := now();
    ELSE
        PERFORM mash_desk_refuse(format('An exercise cannot go from %s to %s.', OLD.status, NEW.status));
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_vignette() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_status text;
BEGIN
    IF NOT mash_desk_has_job('manager') THEN
        PERFORM mash_desk_refuse('Only a manager writes or reviews a vignette.');
    END IF;
    SELECT status INTO v_status FROM threshold_exercise WHERE id = NEW.exercise_id;
    IF v_status IS DISTINCT FROM 'draft' THEN
        PERFORM mash_desk_refuse('A released vignette never changes, and none is added to an open exercise.');
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- a vignette is drafted by the program; a person reviews it afterwards, in its own step
        NEW.reviewed_by_id := NULL;
        NEW.reviewed_at := NULL;
        NEW.drafted_at := now();
    ELSE
        IF NEW.exercise_id IS DISTINCT FROM OLD.exercise_id OR NEW.position IS DISTINCT FROM OLD.position THEN
            PERFORM mash_desk_refuse('A vignette stays where it is.');
        END IF;
        -- saving a vignette is reviewing it: who and when are the login's and the server's
        NEW.reviewed_by_id := mash_desk_actor_id();
        NEW.reviewed_at := now();
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_vignette_source() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_child record;
BEGIN
    IF (SELECT e.status FROM exercise_vignette v JOIN threshold_exercise e ON e.id = v.exercise_id
         WHERE v.id = NEW.vignette_id) IS DISTINCT FROM 'draft' THEN
        PERFORM mash_desk_refuse('A vignette gets its source while its exercise is being prepared, never after.');
    END IF;
    -- read past row security, so the restriction rule is asked here: a hidden child's decision is "not found"
    SELECT level_of_need, outcome INTO v_child FROM contact_child
     WHERE contact_id = NEW.contact_id AND person_id = NEW.child_id
       AND {not_hidden("contact_child", "contact_id")}
       AND {not_hidden("contact_child", "person_id", "person")};
    IF NOT FOUND OR v_child.level_of_need IS NULL OR v_child.outcome IS NULL THEN
        PERFORM mash_desk_refuse('A vignette comes from a child on a past contact with an authorised decision.');
    END IF;
    -- the real decision is the contact's own, whatever was sent
    NEW.real_level := v_child.level_of_need;
    NEW.real_outcome := v_child.outcome;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_rating() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    me integer := mash_desk_actor_id();
    v_vignette record;
BEGIN
    SELECT v.reviewed_at, e.status, e.id AS exercise_id, e.created_by_id INTO v_vignette
      FROM exercise_vignette v JOIN threshold_exercise e ON e.id = v.exercise_id WHERE v.id = NEW.vignette_id;
    IF NOT FOUND OR v_vignette.status <> 'open' OR v_vignette.reviewed_at IS NULL THEN
        PERFORM mash_desk_refuse('Ratings are taken only while the exercise is open.');
    END IF;
    IF v_vignette.created_by_id = me OR EXISTS (
        SELECT 1 FROM exercise_vignette WHERE exercise_id = v_vignette.exercise_id AND reviewed_by_id = me) THEN
        PERFORM mash_desk_refuse('You prepared this exercise and have seen the real cases, so you do not rate it.');
    END IF;
    NEW.rater_id := me;
    NEW.agency_id := (SELECT agency_id FROM app_user WHERE id = me);
    NEW.rated_at := now();
    RETURN NEW;
END $$;"""
