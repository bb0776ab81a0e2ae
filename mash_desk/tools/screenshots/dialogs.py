"""Each action dialog for ``mash-desk screenshots``, with the messages a person sees at its fields."""

from __future__ import annotations

from datetime import date, timedelta

from mash_desk.domain.enums import Confidentiality, ConsentStatus, Outcome, OverrideBasis, Rag, TeamKind
from mash_desk.domain.errors import DatabaseUnavailable
from mash_desk.gui.about_dialog import AboutDialog
from mash_desk.gui.dialogs.agency import AgencyChecksDialog, AgencyReturnDialog
from mash_desk.gui.dialogs.conflict import ConflictDialog
from mash_desk.gui.dialogs.consent import ConsentDialog
from mash_desk.gui.dialogs.decision import ChildChoice, DecisionDialog
from mash_desk.gui.dialogs.handoff import HandOffDialog
from mash_desk.gui.dialogs.rag import RagAnswer, RagDialog
from mash_desk.gui.dialogs.text import TextDialog
from mash_desk.gui.messages import CrashDialog, ErrorDialog
from mash_desk.gui.widgets import set_combo_value
from mash_desk.services.agency_brief import ChildAsked, ReturnBrief
from mash_desk.services.contact_view import ConsentRow
from mash_desk.services.context import utc_now
from mash_desk.services.decisions import DecisionForChildren
from mash_desk.services.handoffs import ReceivingTeam, suggested_receiving_team
from mash_desk.services.screening import ConsentDraft
from mash_desk.tools.screenshots.shooter import Shooter


def shoot_dialogs(shooter: Shooter, only: tuple[str, ...] = ()) -> None:
    """The action dialogs (``only`` those named, if given: "rag", "consent", "others")."""
    now = utc_now()
    agencies = [
        ("POLICE", "Police"),
        ("HEALTH", "Health"),
        ("EDUCATION", "Education"),
        ("HOUSING", "Housing"),
        ("PROBATION", "Probation Service"),
        ("DA_SERVICE", "Domestic Abuse Service"),
    ]
    managers = [("maria", "Maria Lopez"), ("mark", "Mark Evans")]
    wanted = set(only)

    def want(name: str) -> bool:
        return not wanted or name in wanted

    if want("rag"):
        received = now - timedelta(hours=2)
        deadlines = {Rag.RED: received + timedelta(hours=4), Rag.AMBER: received + timedelta(hours=24)}
        rag = RagDialog(None, "MASH-0000042", Rag.AMBER, {**deadlines, Rag.GREEN: received + timedelta(days=3)})
        rag.set_answer(RagAnswer(Rag.RED, ""))
        rag.show_errors({"reason": "Say why the rating is changing: every change needs a reason."})
        shooter.show(rag, "20-dialog-rag-reason-required")
    if want("consent"):
        consent = ConsentDialog(None, "MASH-0000042", agencies, managers, now.date())
        consent.set_answer(
            ConsentDraft(
                status=ConsentStatus.NOT_SOUGHT,
                parent_aware=False,
                parent_not_aware_reason="Telling the mother's partner could put the children at risk.",
                override=True,
                override_basis=OverrideBasis.PUBLIC_TASK_SAFEGUARDING,
                override_reason="Seeking consent would put the child at risk of significant harm.",
                override_authorised_by="maria",
            )
        )
        shooter.show(consent, "21-dialog-consent-override")
    if not want("others"):
        return
    on_record = ConsentRow(
        1, ConsentStatus.GIVEN, "Layla Hussain", "mother", now.date(), "by phone", ("POLICE", "HEALTH", "EDUCATION"),
        ("Police", "Health", "Education"), True, None, None, False, None, None, None, "Sam Carter", now,
    )  # fmt: skip
    checks = AgencyChecksDialog(
        None, "MASH-0000042", agencies, {"HEALTH"}, due_at=now + timedelta(hours=3), rag=Rag.RED, consent=on_record
    )
    shooter.show(checks, "22-dialog-ask-agencies")
    brief = ReturnBrief(
        request_id=7,
        contact_id=42,
        reference="MASH-0000042",
        agency="Police",
        children=(
            ChildAsked("Amira Hussain", date(2017, 3, 14), None),
            ChildAsked("Yusuf Hussain", date(2021, 11, 2), None),
        ),
        address="12 Park Street, Luton, LU1 3AB",
        question="Any domestic abuse call-outs to 12 Park Street?",
        asked_by="Sam Carter",
        asked_by_team="MASH Team",
        asked_at=now - timedelta(hours=1),
        due_at=now + timedelta(hours=2),
        rag=Rag.RED,
        version=1,
    )
    agency_return = AgencyReturnDialog(None, brief)
    set_combo_value(agency_return.confidentiality_combo, Confidentiality.AGENCY_CONFIDENTIAL)
    shooter.show(agency_return, "23-dialog-agency-return")
    decision = DecisionDialog(
        None,
        "MASH-0000042",
        [ChildChoice(1, "Amira Hussain", ""), ChildChoice(2, "Yusuf Hussain", "Proposed by Sam Carter: Level 2")],
        1,
    )
    decision.set_answer(DecisionForChildren((1,), 3, "", "N1", "Chronic neglect"))
    decision.show_errors(
        {
            "outcome": "Choose an outcome from the list.",
            "rationale": "Write the rationale in at least 20 characters.",
        }
    )
    shooter.show(decision, "24-dialog-decision")
    teams = [
        ReceivingTeam(2, "Assessment Team", TeamKind.ASSESSMENT),
        ReceivingTeam(3, "Early Help Team", TeamKind.EARLY_HELP),
    ]
    handoff = HandOffDialog(
        None,
        "MASH-0000042",
        teams,
        "Amira Hussain: Child and family assessment (section 17)",
        suggested_receiving_team(teams, [Outcome.CFA_S17]),
    )
    shooter.show(handoff, "25-dialog-hand-off")
    back = TextDialog(
        None,
        title="Send MASH-0000042 back",
        intro="Say what needs to change before you can authorise.",
        caption="&What needs to change:",
        ok_text="Send back",
        field="comments",
        required=True,
    )
    shooter.show(back, "26-dialog-send-back")
    conflict = ConflictDialog(
        None,
        reference="MASH-0000042",
        changed_by="Priya Shah",
        changed_at=now - timedelta(minutes=2),
        theirs={
            "Status": "Screened",
            "RAG": "AMBER",
            "Worker": "Priya Shah",
            "Consent": "Given",
            "Latest entry": "Rated AMBER — Priya Shah",
        },
        yours={"RAG": "RED", "Reason": "Amira's disclosure suggests domestic abuse in the home now."},
    )
    shooter.show(conflict, "27-dialog-conflict-side-by-side")
    error = ErrorDialog(
        None,
        "The contact was not saved",
        f"{DatabaseUnavailable('The database server could not be reached (connection refused).')}\n\n"
        "Nothing was saved, and everything you typed is still here (and kept on this computer).",
        retry=True,
        edit=True,
    )
    shooter.show(error, "28-dialog-save-failed-retry")
    about = AboutDialog(shooter.runner, shooter.signed_in_as("sam"), None)
    shooter.show(about, "29-dialog-about")
    crash = CrashDialog.for_bug(None, "Traceback (most recent call last):\n  ...\nKeyError: 'example'")
    shooter.show(crash, "30-dialog-crash")
    for widget in (checks, agency_return, decision, handoff, back, conflict, error, about, crash):
        widget.close()
