"""The risk tools for ``mash-desk screenshots``: the DASH checklist being answered (score shown live),
a Graded Care Profile 2 compared with the child's previous one, the MARAC referral made from a saved
DASH (the dialog and its first page) and the manager's overdue GCP2 reviews."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QSize, QThread
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument

from mash_desk.domain.periods import london_date
from mash_desk.domain.risk import DASH_QUESTION_COUNT, CarerParticipation
from mash_desk.gui.dialogs.dash import DashDialog, VictimChoice
from mash_desk.gui.dialogs.gcp import ChildGcp, GcpDialog
from mash_desk.gui.manager.pdf_print import load_pdf
from mash_desk.gui.marac_dialog import MaracReferralDialog
from mash_desk.services import risk_tools
from mash_desk.services.contact_view import open_contact
from mash_desk.services.context import ServiceContext, utc_now
from mash_desk.tools.screenshots.cast import Cast
from mash_desk.tools.screenshots.shooter import Shooter

# 15 yes: high risk; the last two not known
DASH_ANSWERS: tuple[bool | None, ...] = (True,) * 15 + (False,) * 7 + (None,) * 2
FIRST_GCP = {"physical_care": 4, "safety": 3, "love_and_belonging": 2, "esteem": 3}
REVIEW_GCP = {"physical_care": 2, "safety": 3, "love_and_belonging": 3, "esteem": 2}


def _let_pdf_paint() -> None:
    """QPdfView paints its pages from a render thread: give it a moment before the picture."""
    deadline = QDeadlineTimer(1500)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(50)


def shoot_risk_tools(shooter: Shooter, cast: Cast, *, full: bool) -> None:
    sam = ServiceContext(shooter.db, "sam")
    detail = open_contact(sam, cast.showcase)
    victims = [VictimChoice(a.person.person_id, a.person.name) for a in detail.adults if not a.alleged_perpetrator]
    amira = detail.children[0].person
    dash = next((d for d in risk_tools.contact_dashes(sam, cast.showcase) if d.marac_referral), None)
    if dash is None:
        dash = risk_tools.record_dash(
            sam, cast.showcase, DASH_ANSWERS, victim_person_id=victims[0].person_id if victims else None
        )
    if not risk_tools.gcp_history(sam, amira.person_id).rows:
        risk_tools.record_gcp(
            sam,
            cast.showcase,
            amira.person_id,
            FIRST_GCP,
            carer_consent=True,
            carer_participation=CarerParticipation.PARTIAL,
            review_on=london_date(utc_now()) + timedelta(weeks=8),
            targets="Regular meals and a bedtime routine; Yusuf at school every day.",
        )

    form = DashDialog(None, detail.reference, victims)
    for row, answer in enumerate(DASH_ANSWERS[: DASH_QUESTION_COUNT - 4]):
        form.set_answer_at(row, answer)
    form.table.setCurrentCell(DASH_QUESTION_COUNT - 4, 0)
    shooter.show(form, "60-dialog-dash-checklist")
    form.close()

    histories = [risk_tools.gcp_history(sam, child.person.person_id) for child in detail.children]
    gcp = GcpDialog(
        None, detail.reference, [ChildGcp(h.child_id, h.child_name, h) for h in histories], london_date(utc_now())
    )
    for name, grade in REVIEW_GCP.items():
        gcp.spins[name].setValue(grade)
    gcp.show_errors({"carer_participation": "Say how far the parent or carer took part in the assessment."})
    shooter.show(gcp, "61-dialog-gcp2-compared")
    gcp.close()

    referral = risk_tools.make_marac_referral(sam, dash.id)
    dialog = MaracReferralDialog(referral)
    dialog.resize(900, 880)
    dialog.show()
    shooter.settle()
    _let_pdf_paint()
    shooter.save(dialog, "62-marac-referral")
    dialog.close()
    if full:
        document: QPdfDocument = load_pdf(referral.pdf)
        size = document.pagePointSize(0)
        page = document.render(0, QSize(round(size.width() * 1.5), round(size.height() * 1.5)))
        shooter.save_pixmap(QPixmap.fromImage(page), "63-marac-referral-page-1")
        document.close()

    window = shooter.window("maria")
    area = window.manager_area
    if area is None or area.reviews is None:
        raise RuntimeError("a team manager's window has no GCP2 reviews page to show")
    area.show_page("reviews")
    shooter.settle()
    shooter.save(window, "64-manager-gcp2-reviews")
    window.close()
