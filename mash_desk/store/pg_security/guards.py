# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] role names only
"""The rules as triggers: every "by whom" stamped from the login, past facts frozen, each step checked."""

from __future__ import annotations

from mash_desk.domain.enums import ContactStatus, DecisionStatus, Outcome
from mash_desk.domain.lifecycle import RULES, Action
from mash_desk.store.pg_security.case_audits import TABLES_WITHOUT_CONTACT
from mash_desk.store.pg_security.functions import DEFINER as _DEFINER
from mash_desk.store.pg_security.functions import quoted_list as _quoted_list
from mash_desk.store.pg_security.roles import HubRoles
from mash_desk.store.pg_security.row_security import contact_seen_by_login

# audited tables whose rows belong to no one contact (a supervision covers several)
_NO_CONTACT = ", ".join(f"'{table}'" for table in (*TABLES_WITHOUT_CONTACT, "supervision"))


UNSEEN_CONTACT = "No contact you may see has that id."
"""What a guard says about a contact row security hides from the login, whatever else is wrong."""


def unseen_first(contact_id: str) -> str:
    """A guard's first check, as PL/pgSQL: a guard looks rows up as the owner, past row security, so each of its
    other answers (not being worked on, no consent, not authorised) would say something about a contact the
    login may not see. Row security would refuse the row anyway; this refuses it first, with one answer."""
    return (
        f"IF NOT {contact_seen_by_login(contact_id)} THEN\n"
        f"        PERFORM mash_desk_refuse('{UNSEEN_CONTACT}');\n"
        "    END IF;"
    )


def guard_sql(hub: HubRoles) -> str:
    """The audit trail and the guards every staff write passes through."""
    working = _quoted_list(sorted(s.value for s in RULES[Action.PROPOSE_DECISION].states))
    undecided = _quoted_list(
        sorted(
            s.value
            for s in RULES[Action.SUBMIT_FOR_AUTHORISATION].states
            | RULES[Action.AUTHORISE].states
            | {ContactStatus.RECEIVED}
        )
    )
    closed = ContactStatus.CLOSED.value
    proposed = DecisionStatus.PROPOSED.value
    authorised = DecisionStatus.AUTHORISED.value
    pass_outcome = Outcome.PASS_TO_ALLOCATED_WORKER.value
    return f"""
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
    ELSIF TG_TABLE_NAME IN ('person', 'glass_break', 'person_merge', {_NO_CONTACT}) THEN
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
    {unseen_first("(SELECT cc.contact_id FROM contact_child cc WHERE cc.id = NEW.contact_child_id)")}
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
    {unseen_first("NEW.contact_id")}
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
    {unseen_first("NEW.contact_id")}
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
    {unseen_first("NEW.contact_id")}
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
"""
