"""The README's recipe for auditing bulk reads with pgaudit, applied to a hub database: a
practitioner reading people through psql (or Excel) leaves a line in the server log."""

from __future__ import annotations

from mash_desk.services import intake
from mash_desk.store.pg_security import hub_roles
from tests.pgcluster import PrivateCluster
from tests.security.hub import login_world
from tests.support import contact_draft


def test_reads_of_personal_tables_through_other_tools_are_logged(private_cluster: PrivateCluster) -> None:
    with login_world(private_cluster) as hub:
        intake.log_contact(hub.bea, contact_draft(hub.clock))
        auditor_role = f"{hub_roles(hub.database).prefix}_pgaudit"
        # exactly as README.md, "Bulk reads through other tools"
        with private_cluster.connect_superuser(hub.database) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pgaudit")
            conn.execute(f'CREATE ROLE "{auditor_role}" NOLOGIN')
            conn.execute(f"ALTER DATABASE \"{hub.database}\" SET pgaudit.role = '{auditor_role}'")
            conn.execute(f'GRANT SELECT ON person, contact, agency_request, letter, case_note TO "{auditor_role}"')
        try:
            start = private_cluster.log_position()
            with hub.connect("sam") as conn:
                people = conn.execute("SELECT given_names, family_name, nhs_number FROM person").fetchall()
                conn.execute("SELECT count(*) FROM team").fetchall()
            assert people, "the practitioner read the people"
            lines = [e for e in private_cluster.log_entries(start) if "AUDIT: OBJECT" in e.message]
            assert [e.user for e in lines] == [hub.logins["sam"]]
            assert "READ,SELECT,TABLE,public.person" in lines[0].message
            assert not any("public.team" in e.message for e in lines), "only the tables chosen are audited"
        finally:
            with private_cluster.connect_superuser(hub.database) as conn:
                conn.execute(f'REVOKE ALL ON person, contact, agency_request, letter, case_note FROM "{auditor_role}"')
            with private_cluster.connect_superuser() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{hub.database}" WITH (FORCE)')
                conn.execute(f'DROP ROLE IF EXISTS "{auditor_role}"')
