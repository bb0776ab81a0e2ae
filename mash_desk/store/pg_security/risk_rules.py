# ruff: noqa: S608 - this module writes SQL from its own constants only
"""The risk tools' rules in the database: only a trained, licensed assessor records a Graded Care
Profile 2, and only an administrator says who is (through their own function, audited); a MARAC
referral follows a high-risk DASH on its own contact, stamped with who made it and its digest. And
who may chase a hand-off (migration 0016): MASH social work, while it waits, never the receiving team."""

from __future__ import annotations

from mash_desk.store.pg_security.functions import DEFINER as _DEFINER
from mash_desk.store.pg_security.guards import unseen_first
from mash_desk.store.pg_security.row_security import contact_seen_by_login


def risk_sql() -> str:
    """The GCP2 guard (a trigger function) and the administrators' licence switch."""
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_guard_gcp_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    -- the login's own user record decides, never a column the workstation sends
    IF NOT coalesce((SELECT gcp_licensed FROM app_user WHERE username = mash_desk_invoker() AND active), false) THEN
        PERFORM mash_desk_refuse('Only a trained and licensed Graded Care Profile assessor can record one.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_marac_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_dash record;
BEGIN
    -- one question, one answer: a high-risk DASH on this very contact, which the login may see. Asked apart,
    -- the answers told a partner which DASHes were high-risk, and on which contacts, it had never been shown
    SELECT d.contact_id INTO v_dash FROM dash_assessment d
     WHERE d.id = NEW.dash_id AND d.contact_id = NEW.contact_id AND d.marac_referral
       AND {contact_seen_by_login("d.contact_id")};
    IF NOT FOUND THEN
        PERFORM mash_desk_refuse('A MARAC referral follows a high-risk DASH recorded on the same contact.');
    END IF;
    NEW.made_by_id := mash_desk_actor_id();
    -- the digest is the database's own, of the bytes it stores
    NEW.sha256 := encode(sha256(NEW.pdf), 'hex');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_guard_chase_insert() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_hand_off record;
BEGIN
    {unseen_first("NEW.contact_id")}
    -- who chased is the login's own user record, never a column the workstation sends
    NEW.chased_by_id := mash_desk_actor_id();
    IF NOT (mash_desk_has_job('practitioner') OR mash_desk_has_job('manager')) THEN
        PERFORM mash_desk_refuse('Only a MASH practitioner or manager chases a hand-off.');
    END IF;
    SELECT contact_id, team_id, status INTO v_hand_off FROM hand_off WHERE id = NEW.hand_off_id;
    IF NOT FOUND OR v_hand_off.status <> 'pending' THEN
        PERFORM mash_desk_refuse('Only a hand-off still waiting for its team can be chased.');
    END IF;
    IF NEW.contact_id IS DISTINCT FROM v_hand_off.contact_id THEN
        PERFORM mash_desk_refuse('A chase belongs to the contact its hand-off is about.');
    END IF;
    IF (SELECT team_id FROM app_user WHERE id = NEW.chased_by_id) IS NOT DISTINCT FROM v_hand_off.team_id THEN
        PERFORM mash_desk_refuse('The receiving team accepts or rejects its own hand-off; it does not chase it.');
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION mash_desk_set_user_gcp_licensed(p_username text, p_licensed boolean) RETURNS void
LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    v_user record;
BEGIN
    IF NOT mash_desk_has_job('admin') THEN
        PERFORM mash_desk_refuse('Only an administrator can say who is licensed for the Graded Care Profile 2.');
    END IF;
    SELECT id, gcp_licensed INTO v_user FROM app_user WHERE username = p_username;
    IF NOT FOUND THEN
        PERFORM mash_desk_refuse(format('There is no user %s.', p_username));
    END IF;
    IF p_licensed IS NULL OR v_user.gcp_licensed = p_licensed THEN
        PERFORM mash_desk_refuse('That is already what their record says.');
    END IF;
    UPDATE app_user SET gcp_licensed = p_licensed WHERE id = v_user.id;
    PERFORM mash_desk_audit('user.set_gcp_licensed', 'app_user', v_user.id, NULL,
                            json_build_object('username', p_username, 'licensed', p_licensed)::text);
END $$;"""
