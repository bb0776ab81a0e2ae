from __future__ import annotations

from mash_desk.domain.enums import ContactStatus, Outcome, Rag
from mash_desk.services import decisions, handoffs, intake, screening
from mash_desk.services.contact_view import open_contact
from tests.support import World, consent_given, contact_draft


def test_smoke(world: World) -> None:
    logged = intake.log_contact(world.sam, contact_draft(world.clock))
    screening.rate(world.sam, logged.id, Rag.AMBER)
    screening.record_consent(world.sam, logged.id, consent_given(world.clock))
    (req,) = screening.request_agency_checks(world.sam, logged.id, ["POLICE"])
    screening.record_agency_return(world.police, req, summary="Two DA call-outs in 2025.", nothing_known=False)
    person = logged.child_person_ids[0]
    decisions.propose_decision(world.sam, logged.id, decisions.DecisionProposal(person, 3, Outcome.CFA_S17, "N1", "Chronic neglect with housing stress; needs assessment."))
    decisions.submit_for_authorisation(world.sam, logged.id)
    decisions.authorise(world.maria, logged.id)
    hid = handoffs.hand_off(world.sam, logged.id, world.teams["Assessment Team"])
    handoffs.accept_hand_off(world.ava, hid)
    handoffs.close_contact(world.sam, logged.id)
    detail = open_contact(world.sam, logged.id)
    assert detail.status is ContactStatus.CLOSED
