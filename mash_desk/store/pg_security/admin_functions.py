# ruff: noqa: S608 - this module writes SQL from its own constants and [a-z0-9_] role names only
"""The administrators' functions: logins, jobs, teams, passwords — the owner acts, the audit trail records."""

from __future__ import annotations

from mash_desk.store.pg_security.functions import DEFINER as _DEFINER
from mash_desk.store.pg_security.functions import quoted_list as _quoted_list
from mash_desk.store.pg_security.roles import IDLE_IN_TRANSACTION_TIMEOUT, JOBS, STATEMENT_TIMEOUT, HubRoles

# A login role is the server's, not one database's: it outlives the hub it was made for. The comment says
# which logins MASH Desk made (a database administrator's clean-up, and the test suite's, look for it); a
# login that existed before it was adopted keeps its own.
MADE_BY_MASH_DESK = "A MASH Desk login, made by mash_desk_add_user for a user of a hub."


def admin_sql(hub: HubRoles) -> str:
    """Creating users, changing their job, disabling them and setting passwords, as the owner."""
    jobs = _quoted_list(list(JOBS))
    return f"""
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
        EXECUTE format('COMMENT ON ROLE %I IS %L', p_username, '{MADE_BY_MASH_DESK}');
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
END $$;"""
