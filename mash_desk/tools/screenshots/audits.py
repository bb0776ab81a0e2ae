"""The multi-agency case audit for ``mash-desk screenshots``: the Audits page (set-up and the chosen
audit's cases, grades and actions), an auditor's case page with the question set, and the first page
of the audit report."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPixmap

from mash_desk.gui.manager.pdf_print import load_pdf
from mash_desk.gui.partnership.audit_setup_page import AuditsPage
from mash_desk.services import audits
from mash_desk.services.context import ServiceContext, utc_now
from mash_desk.tools.demo.audits import make_audit_example
from mash_desk.tools.screenshots.shooter import Shooter


def shoot_audits(shooter: Shooter, *, full: bool) -> None:
    auditor = ServiceContext(shooter.db, "aud")
    found = audits.list_audits(auditor)
    audit_id = found[0].id if found else make_audit_example(shooter.db, utc_now())
    if audit_id is None:
        raise RuntimeError("the demo has no decided neglect contacts to audit")

    window = shooter.window("aud")
    area = window.partnership_area
    if area is None:
        raise RuntimeError("the auditor's window has no Partnership area")
    area.show_page("audits")
    shooter.settle()
    page = area.page("audits")
    if isinstance(page, AuditsPage):  # a set-up begun, to show the form with something in it
        page.title_edit.setText("Domestic abuse: children in the household")
    shooter.save(window, "80-partnership-audit-set-up")
    window.close()

    window = shooter.window("hv_okafor")
    area = window.partnership_area
    if area is None:
        raise RuntimeError("the health visitor's window has no Partnership area")
    area.show_page("audit_cases")
    shooter.settle()
    shooter.save(window, "81-partnership-audit-case")
    window.close()

    if full:
        document = load_pdf(audits.audit_report(auditor, audit_id))
        size = document.pagePointSize(0)
        picture = document.render(0, QSize(round(size.width() * 1.5), round(size.height() * 1.5)))
        shooter.save_pixmap(QPixmap.fromImage(picture), "82-partnership-audit-report-page-1")
        document.close()
