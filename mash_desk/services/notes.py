"""Case notes and management oversight: added, corrected by a new note, never edited or removed."""

from __future__ import annotations

from mash_desk.domain.enums import NoteKind
from mash_desk.domain.errors import InvalidInput
from mash_desk.domain.lifecycle import Action
from mash_desk.services.context import ServiceContext, audit, retry_collisions
from mash_desk.services.drafts import blank_to_none
from mash_desk.services.records import load_contact, touch
from mash_desk.store.models import CaseNote

MAX_NOTE = 20000


@retry_collisions
def add_note(
    ctx: ServiceContext,
    contact_id: int,
    text: str,
    *,
    oversight: bool = False,
    corrects_id: int | None = None,
) -> int:
    """Add a case note, or (managers) a management oversight note; ``corrects_id`` marks a correction."""
    body = blank_to_none(text)
    if body is None:
        raise InvalidInput.single("text", "Write the note before saving it.")
    if len(body) > MAX_NOTE:
        raise InvalidInput.single("text", f"A note can be at most {MAX_NOTE} characters.")
    action = Action.ADD_OVERSIGHT if oversight else Action.ADD_NOTE
    now = ctx.now()
    with ctx.unit(write=True) as (session, actor):
        contact = load_contact(session, contact_id, actor, action)
        kind = NoteKind.MANAGEMENT_OVERSIGHT if oversight else NoteKind.CASE_NOTE
        if corrects_id is not None:
            corrected = session.get(CaseNote, corrects_id)
            if corrected is None or corrected.contact_id != contact.id:
                raise InvalidInput.single("corrects_id", "The note being corrected is not on this contact.")
            kind = NoteKind.CORRECTION
        note = CaseNote(
            contact_id=contact.id, kind=kind, text=body, author_id=actor.id, written_at=now, corrects_id=corrects_id
        )
        session.add(note)
        touch(session, contact.id, actor, now)
        session.flush()
        audit(session, actor, f"note.{kind.value}", "case_note", note.id, at=now, contact_id=contact.id)
        return note.id
