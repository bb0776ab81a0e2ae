"""A manager chases a team that has not accepted a hand-off (Ctrl+K), and both sides see it beside the
hand-off with the RAG and the outcome: a section 47 never looks routine."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mash_desk.domain.enums import ContactStatus, Outcome
from mash_desk.gui.dialogs.text import TextAnswer
from mash_desk.gui.inbox_models import HandOffColumn, HandOffTableModel
from mash_desk.gui.manager.models import PendingHandOffColumn
from mash_desk.gui.manager.work_pages import HandOffsPage
from mash_desk.services import decisions, handoffs
from mash_desk.services.contact_view import open_contact
from mash_desk.services.decisions import DecisionProposal
from mash_desk.services.queues import pending_hand_offs
from tests.gui.conftest import Dialogs
from tests.gui.helpers import CTRL, press
from tests.gui.manager.conftest import Bench
from tests.support import RATIONALE, World, case_at


def _section_47_handed_off(world: World) -> tuple[int, int]:
    """A contact decided level 4, strategy discussion / section 47, authorised and handed off."""
    case = case_at(world, ContactStatus.SCREENED)
    decisions.propose_decision(
        world.sam, case.id, DecisionProposal(case.child_ids[0], 4, Outcome.STRATEGY_S47, "N1", RATIONALE)
    )
    decisions.submit_for_authorisation(world.sam, case.id)
    decisions.authorise(world.maria, case.id)
    teams = handoffs.receiving_teams(world.sam)
    assessment = next(team.id for team in teams if team.name == "Assessment Team")
    return case.id, handoffs.hand_off(world.sam, case.id, assessment)


def test_a_manager_chases_with_ctrl_k_and_the_receiving_team_sees_it(bench: Bench, dialogs: Dialogs) -> None:
    world = bench.world
    contact_id, _handoff_id = _section_47_handed_off(world)
    page = HandOffsPage(bench.window(world.maria))
    bench.qtbot.addWidget(page)
    page.show()
    page.reload()
    bench.settle()
    outcome = page.model.index(0, PendingHandOffColumn.OUTCOME)
    assert page.model.data(outcome).startswith("Strategy discussion / section 47")
    assert page.model.data(outcome, Qt.ItemDataRole.FontRole).bold()  # it stands out, with an icon
    assert page.model.data(outcome, Qt.ItemDataRole.DecorationRole) is not None
    assert page.model.data(page.model.index(0, PendingHandOffColumn.RAG)) == "AMBER"
    assert page.model.data(page.model.index(0, PendingHandOffColumn.CHASED)) == "not chased"
    assert "(Ctrl+K)" in page.chase_button.text()

    dialogs.answer("text", TextAnswer("Phoned the duty manager, Ava: will allocate today."))
    page.panel.focus_table()
    press(bench.qtbot, page.panel.view, Qt.Key.Key_K, CTRL)
    bench.settle()
    assert "Chase Assessment Team" in dialogs.of("text")[0].kwargs["title"]
    chased = open_contact(world.maria, contact_id).chronology
    assert any(e.what == "Chased Assessment Team: Phoned the duty manager, Ava: will allocate today." for e in chased)
    bench.qtbot.waitUntil(lambda: page.model.rowCount() == 1 and bool(page.model.row_at(0).chases), timeout=15_000)
    assert page.model.data(page.model.index(0, PendingHandOffColumn.CHASED)).startswith("1×")

    # the receiving team's inbox shows the same: RAG, outcome, and who chased
    inbox = HandOffTableModel(bench.window(world.ava), lambda: pending_hand_offs(world.ava, mine_only=True))
    inbox.reload()
    bench.settle()
    assert inbox.data(inbox.index(0, HandOffColumn.OUTCOME)).startswith("Strategy discussion / section 47")
    assert "Maria Lopez" in inbox.data(inbox.index(0, HandOffColumn.CHASED))
    tooltip = inbox.data(inbox.index(0, HandOffColumn.CHASED), Qt.ItemDataRole.ToolTipRole)
    assert "will allocate today" in tooltip


def test_the_receiving_team_is_not_offered_a_chase_of_its_own_hand_off(bench: Bench, dialogs: Dialogs) -> None:
    world = bench.world
    _section_47_handed_off(world)
    page = HandOffsPage(bench.window(world.ava))
    bench.qtbot.addWidget(page)
    told: list[str] = []
    page.message.connect(told.append)
    page.reload()
    bench.settle()
    page.panel.focus_table()
    page.chase()
    bench.settle()
    assert dialogs.of("text") == []
    assert told == ["Your own team holds this hand-off: accept or reject it instead."]
