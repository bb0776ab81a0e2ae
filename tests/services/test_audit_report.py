"""The audit report read back with pypdf: the letterhead and "OFFICIAL – SENSITIVE" on every page,
grades by agency and theme, the learning in the auditors' words, the actions and their state, and no
child's name anywhere unless the audit is marked for internal use."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from mash_desk.services import audits
from mash_desk.services.letters.reading import load_letterhead
from tests.audit_cases import AUDITORS, NAMES, agency_ids, decided_cases, good_grading, set_up
from tests.support import AuditWatch, World


def _graded_audit(world: World, *, internal_use: bool = False) -> int:
    decided_cases(world, 5)
    made = set_up(world, size=5, internal_use=internal_use)
    for who, agency in zip(AUDITORS, ("SOCIAL_CARE", "POLICE", "HEALTH"), strict=True):
        ctx = world.as_(who)
        for case in audits.my_audit_cases(ctx):
            grading = good_grading(world, agency)
            # an auditor writes a child's name, as people do: it must not reach a shared report
            grading["learning"] = f"Nobody asked Tomasz Nowak or Ruby what school is like; {agency.lower()} learning."
            audits.grade_case(ctx, case.id, **grading)  # type: ignore[arg-type]
    audits.add_action(
        world.auditor,
        made.id,
        what="Health visitors to offer a GCP2 at every second neglect contact",
        owner="Jan Cole",
        agency_id=agency_ids(world)["HEALTH"],
        due_on=world.clock().date() + timedelta(days=14),
    )
    return made.id


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return pages, "\n".join(pages)


def test_the_report_for_the_partnership_names_no_child(world: World) -> None:
    audit_id = _graded_audit(world)
    watch = AuditWatch(world.db)
    pdf = audits.audit_report(world.auditor, audit_id)
    assert [line.action for line in watch.new()] == ["case_audit.report"]
    pages, text = _text(pdf)
    with world.db.session() as session:
        organisation = load_letterhead(session).organisation
    assert organisation in pages[0]
    assert all("OFFICIAL – SENSITIVE" in page for page in pages)
    for heading in ("Grades by agency", "Grades by theme", "Learning, in the auditors' words", "Actions"):
        assert heading in text
    for agency in ("Children's Social Care", "Police", "Health"):
        assert agency in text
    assert "Requires improvement" in text
    assert "Nobody asked [name withheld] [name withheld] or [name withheld] what school is like" in text
    assert "Health visitors to offer a GCP2" in text
    assert "Open" in text
    for given_name, family_name in NAMES:
        assert given_name not in text
        assert family_name not in text
    _keep(pdf, "audit-report.pdf")


def test_the_internal_copy_names_the_children_and_says_so(world: World) -> None:
    audit_id = _graded_audit(world, internal_use=True)
    pages, text = _text(audits.audit_report(world.maria, audit_id))
    assert all("FOR INTERNAL USE" in page for page in pages)
    assert "Tomasz Nowak" in text
    assert any(f"{g} {f}" in text for g, f in NAMES)


def _keep(pdf: bytes, name: str) -> None:
    """Keep the PDF where ``MASH_DESK_KEEP_PDFS`` says, to look at (pdftoppm) after the run."""
    folder = os.environ.get("MASH_DESK_KEEP_PDFS")
    if folder:
        Path(folder, name).write_bytes(pdf)
