# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] role names only
"""The functions the rules are made of: who is asking, what they may share and see, restrictions."""

from __future__ import annotations

from mash_desk.domain.enums import AgencyKind, Confidentiality, DecisionStatus
from mash_desk.domain.sharing import CONFIDENTIAL_READERS, GLASS_BREAK_HOURS
from mash_desk.store.pg_security.case_audits import CASE_AUDIT_FUNCTIONS
from mash_desk.store.pg_security.hidden import not_hidden
from mash_desk.store.pg_security.roles import HubRoles

FUNCTION_NAMES = (
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
    "mash_desk_contact_returns(integer)",
    "mash_desk_agency_named(text)",
    "mash_desk_team_named(text)",
    "mash_desk_leave_jobs(text)",
    "mash_desk_add_user(text, text, text, text, text, text, text, text, boolean, text)",
    "mash_desk_set_user_job(text, text, text, text)",
    "mash_desk_set_user_active(text, boolean, text)",
    "mash_desk_set_password(text, text)",
    "mash_desk_guard_gcp_insert()",
    "mash_desk_guard_marac_insert()",
    "mash_desk_guard_chase_insert()",
    "mash_desk_set_user_gcp_licensed(text, boolean)",
    # merging two records of one person (pg_security.merges)
    "mash_desk_guard_merge_insert()",
    "mash_desk_guard_merge_update()",
    "mash_desk_guard_merge_move_insert()",
    "mash_desk_guard_person_merged()",
    "mash_desk_guard_repoint()",
    # restricted records: who is cleared, the notice shown instead, breaking the glass
    "mash_desk_cleared(integer, integer, integer)",
    "mash_desk_live_restriction(text, integer)",
    "mash_desk_restricted_contact(text)",
    "mash_desk_restriction_notice(text, integer)",
    "mash_desk_guard_glass_break_insert()",
    "mash_desk_guard_restriction()",
    *CASE_AUDIT_FUNCTIONS,
)

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"


def quoted_list(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


# the login asking, as the rule for reading a return needs them: one row, none for an inactive login
_READER = (
    "SELECT u.agency_id, a.kind AS agency_kind, mash_desk_has_job('agency') AS partner, "
    + "("
    + " OR ".join(f"mash_desk_has_job('{role.value}')" for role in sorted(CONFIDENTIAL_READERS))
    + ") AS confidential_reader "
    "FROM app_user u JOIN agency a ON a.id = u.agency_id WHERE u.username = mash_desk_invoker() AND u.active"
)


def _marking_allows(agency: str, confidentiality: str) -> str:
    """``domain.sharing.may_read_return`` for the reader ``me`` (a row of :data:`_READER`), as SQL."""
    return (
        f"CASE WHEN me.agency_id = {agency} THEN true "
        f"WHEN {confidentiality} = '{Confidentiality.SHAREABLE.value}' THEN true "
        f"WHEN {confidentiality} = '{Confidentiality.AGENCY_CONFIDENTIAL.value}' THEN "
        f"me.agency_kind = '{AgencyKind.SOCIAL_CARE.value}' AND me.confidential_reader "
        "ELSE false END"
    )


def helper_sql(hub: HubRoles) -> str:
    """Identity, sharing, decision and restriction helpers the rules and the row policies call."""
    proposed = DecisionStatus.PROPOSED.value
    authorised = DecisionStatus.AUTHORISED.value
    return f"""
CREATE OR REPLACE FUNCTION mash_desk_invoker() RETURNS name LANGUAGE sql STABLE
SET search_path = pg_catalog AS $$
    -- inside a SECURITY DEFINER function current_user is the owner; the role setting is not
    SELECT CASE WHEN current_setting('role') = 'none' THEN session_user
                ELSE current_setting('role')::name END
$$;

CREATE OR REPLACE FUNCTION mash_desk_has_job(job text) RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT pg_has_role(mash_desk_invoker(), '{hub.prefix}_' || job, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION mash_desk_refuse(message text) RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '42501';
END $$;

CREATE OR REPLACE FUNCTION mash_desk_actor_id() RETURNS integer LANGUAGE plpgsql STABLE {DEFINER} AS $$
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
LANGUAGE plpgsql STABLE {DEFINER} AS $$
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

CREATE OR REPLACE FUNCTION mash_desk_my_agency() RETURNS integer LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT agency_id FROM app_user WHERE username = mash_desk_invoker() AND active
$$;

CREATE OR REPLACE FUNCTION mash_desk_my_team() RETURNS integer LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT team_id FROM app_user WHERE username = mash_desk_invoker() AND active
$$;

-- domain.lifecycle.may_decide: a manager of the team that owns the contact
CREATE OR REPLACE FUNCTION mash_desk_decides(p_contact integer) RETURNS boolean LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT mash_desk_has_job('manager') AND EXISTS (
        SELECT 1 FROM contact c WHERE c.id = p_contact AND c.team_id IS NOT NULL AND c.team_id = mash_desk_my_team())
$$;

-- a decision nobody has replaced: a proposal, or an authorised decision no later proposal supersedes
CREATE OR REPLACE FUNCTION mash_desk_current_decision(p_decision integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT d.status = '{proposed}' OR (d.status = '{authorised}' AND NOT EXISTS (
               SELECT 1 FROM threshold_decision n WHERE n.supersedes_id = d.id))
      FROM threshold_decision d WHERE d.id = p_decision
$$;

-- four eyes stands: the contact's latest authorisation approved its decisions
CREATE OR REPLACE FUNCTION mash_desk_authorised_now(p_contact integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce((SELECT approved FROM authorisation WHERE contact_id = p_contact ORDER BY id DESC LIMIT 1), false)
$$;

-- domain.sharing.may_read_return, as the database's own rule
CREATE OR REPLACE FUNCTION mash_desk_may_read_return(p_agency integer, p_confidentiality text) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT coalesce((SELECT {_marking_allows("p_agency", "p_confidentiality")} FROM ({_READER}) me), false)
$$;

-- a contact's returns at once: the requests row security shows this login (its agency_request rule, restated
-- here: a partner agency sees only its own requests, everyone else every request the restriction rule leaves
-- them; this function runs past row security, so it asks the rules itself), the words where the marking
-- allows them, and whether it does. The reader is looked up once for all the requests, not once per request.
CREATE OR REPLACE FUNCTION mash_desk_contact_returns(p_contact integer)
RETURNS TABLE (request_id integer, summary text, readable boolean)
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT marked.id, CASE WHEN marked.readable THEN marked.summary END, marked.readable
      FROM (SELECT r.id, r.summary, {_marking_allows("r.agency_id", "r.confidentiality")} AS readable
              FROM agency_request r CROSS JOIN ({_READER}) me
             WHERE r.contact_id = p_contact
               AND {not_hidden("r", "contact_id")}
               AND (NOT me.partner OR r.agency_id = me.agency_id)) AS marked
$$;

-- one request's words, as mash_desk_contact_returns hands them over
CREATE OR REPLACE FUNCTION mash_desk_return_summary(p_request integer) RETURNS text
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT c.summary
      FROM mash_desk_contact_returns((SELECT contact_id FROM agency_request WHERE id = p_request)) c
     WHERE c.request_id = p_request
$$;

CREATE OR REPLACE FUNCTION mash_desk_cleared(p_restriction integer, p_by integer, p_contact integer) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
    -- domain.sharing.may_see_restricted: who restricted it, whose case it is, or a glass break today
    SELECT coalesce((
        SELECT u.id = p_by
            OR EXISTS (SELECT 1 FROM contact c WHERE c.id = p_contact AND c.assigned_to_id = u.id)
            OR EXISTS (SELECT 1 FROM glass_break g
                        WHERE g.restriction_id = p_restriction AND g.user_id = u.id AND g.expires_at > now())
          FROM app_user u WHERE u.username = mash_desk_invoker() AND u.active), false)
$$;

CREATE OR REPLACE FUNCTION mash_desk_live_restriction(p_kind text, p_id integer) RETURNS integer
LANGUAGE sql STABLE {DEFINER} AS $$
    SELECT r.id FROM record_restriction r
     WHERE r.lifted_at IS NULL
       AND CASE WHEN p_kind = 'contact' THEN r.contact_id = p_id ELSE r.person_id = p_id END
     LIMIT 1
$$;

CREATE OR REPLACE FUNCTION mash_desk_restricted_contact(p_reference text) RETURNS integer
LANGUAGE sql STABLE {DEFINER} AS $$
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
LANGUAGE sql STABLE {DEFINER} AS $$
    -- that a record exists and who restricted it, for those it is hidden from: never what it says
    SELECT r.id, u.display_name::text, r.restricted_at
      FROM record_restriction r JOIN app_user u ON u.id = r.restricted_by_id
     WHERE r.lifted_at IS NULL
       AND CASE WHEN p_kind = 'contact' THEN r.contact_id = p_id ELSE r.person_id = p_id END
       AND NOT mash_desk_cleared(r.id, r.restricted_by_id, r.contact_id)
$$;

CREATE OR REPLACE FUNCTION mash_desk_guard_glass_break_insert() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
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

CREATE OR REPLACE FUNCTION mash_desk_guard_restriction() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
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
"""
