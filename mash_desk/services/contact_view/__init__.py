"""Everything about one contact on one screen, and everything about one person.

Opening either writes an audit row: who looked at whose record is part of the record. This module
is the package's interface; the work is split by job: ``rows`` (the frozen rows the GUI gets),
``statements`` (the SQL, built once), ``detail`` (reading and assembling a contact, and what the
person may do to it), ``chronology`` (its history in words), ``person`` (a person's record).
"""

from mash_desk.services.contact_view.detail import open_contact
from mash_desk.services.contact_view.person import PersonContactRow, PersonDetail, open_person
from mash_desk.services.contact_view.rows import (
    AdultOnContact,
    AgencyRequestView,
    AuthorisationRow,
    ChildOnContact,
    ChronologyEntry,
    ConsentRow,
    ContactDetail,
    DecisionRow,
    HandOffView,
    HouseholdRow,
    NoteRow,
    PersonRow,
    RagRow,
)
from mash_desk.services.contact_view.statements import person_rows

__all__ = [
    "AdultOnContact",
    "AgencyRequestView",
    "AuthorisationRow",
    "ChildOnContact",
    "ChronologyEntry",
    "ConsentRow",
    "ContactDetail",
    "DecisionRow",
    "HandOffView",
    "HouseholdRow",
    "NoteRow",
    "PersonContactRow",
    "PersonDetail",
    "PersonRow",
    "RagRow",
    "open_contact",
    "open_person",
    "person_rows",
]
