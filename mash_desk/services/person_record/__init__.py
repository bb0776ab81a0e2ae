"""A person's record: who they are, the names they are known by, their family and addresses, the
agencies involved now, and one chronology across every contact about them.

``open_person_record`` is the page; ``person_chronology`` is the chronology alone, filtered, for the
PDF (``printing.print_chronology``, kept out of this import so opening a record never loads reportlab)
and the command line. Both are audited like opening a contact.
"""

from mash_desk.services.person_record.record import PersonChronology, open_person_record, person_chronology
from mash_desk.services.person_record.rows import (
    AddressRow,
    AgencyNowRow,
    AliasRow,
    ChronologyRow,
    ContactHistoryRow,
    CorrectionRow,
    PersonRecord,
    RelativeRow,
)

__all__ = [
    "AddressRow",
    "AgencyNowRow",
    "AliasRow",
    "ChronologyRow",
    "ContactHistoryRow",
    "CorrectionRow",
    "PersonChronology",
    "PersonRecord",
    "RelativeRow",
    "open_person_record",
    "person_chronology",
]
