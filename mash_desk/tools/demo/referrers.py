"""Who makes a demo contact, by the census source it is logged under: the referrer's kind and the
posts professionals from that source hold (a police source, an officer; a GP source, a surgery)."""

from mash_desk.domain.enums import ReferrerKind

# who makes a contact from each census source: the kind of referrer and the posts (role, organisation)
# professionals from that source hold, so a "Police" contact comes from an officer and a "GP" one from a
# surgery; "school" stands for one of SCHOOLS
SOURCE_REFERRER: dict[str, tuple[ReferrerKind, tuple[tuple[str, str], ...]]] = {
    "1A": (ReferrerKind.FAMILY, ()),
    "1B": (ReferrerKind.MEMBER_OF_PUBLIC, ()),
    "1C": (ReferrerKind.SELF, ()),
    "1D": (ReferrerKind.MEMBER_OF_PUBLIC, ()),
    "2A": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Designated safeguarding lead", "school"),
            ("Deputy designated safeguarding lead", "school"),
            ("Head teacher", "school"),
            ("Pastoral lead", "school"),
            ("Class teacher", "school"),
        ),
    ),
    "2B": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Education welfare officer", "Education Welfare Service"),
            ("Attendance officer", "Pupil Attendance Team"),
            ("SEND caseworker", "Special Educational Needs Team"),
        ),
    ),
    "3A": (
        ReferrerKind.PROFESSIONAL,
        (
            ("General practitioner", "Chiltern Vale Medical Centre"),
            ("General practitioner", "Marsh Farm Health Centre"),
            ("Practice nurse", "Bramingham Park Surgery"),
            ("General practitioner", "Castle Street Practice"),
        ),
    ),
    "3B": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Health visitor", "Health Visiting Service (North)"),
            ("Health visitor", "Health Visiting Service (South)"),
            ("Community nursery nurse", "Health Visiting Service"),
        ),
    ),
    "3C": (ReferrerKind.PROFESSIONAL, (("School nurse", "School Nursing Service"),)),
    "3D": (
        ReferrerKind.PROFESSIONAL,
        (("Community midwife", "Community Midwifery"), ("Safeguarding midwife", "Maternity Unit")),
    ),
    "3E": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Emergency department nurse", "General Hospital Emergency Department"),
            ("Paediatric registrar", "Children's Emergency Department"),
        ),
    ),
    "3F": (
        ReferrerKind.PROFESSIONAL,
        (
            ("CAMHS practitioner", "Child and Adolescent Mental Health Service"),
            ("Mental health nurse", "Community Mental Health Team"),
            ("Drug and alcohol worker", "Community Recovery Service"),
        ),
    ),
    "4": (
        ReferrerKind.PROFESSIONAL,
        (("Housing officer", "Housing Options Team"), ("Tenancy support officer", "Town Homes Housing Association")),
    ),
    "5A": (
        ReferrerKind.PROFESSIONAL,
        (("Social worker", "Children's Social Care"), ("Family support worker", "Children's Social Care")),
    ),
    "5B": (
        ReferrerKind.PROFESSIONAL,
        (("Youth justice worker", "Youth Justice Service"), ("Adult social worker", "Adult Social Care")),
    ),
    "5C": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Duty social worker", "Bedford Borough Children's Services"),
            ("Duty social worker", "Central Bedfordshire Children's Services"),
            ("Social worker", "Hertfordshire Children's Services"),
        ),
    ),
    "5D": (
        ReferrerKind.PROFESSIONAL,
        (("Family support worker", "Early Help Hub"), ("Family hub worker", "Marsh Farm Family Hub")),
    ),
    "6": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Police constable", "Bedfordshire Police Public Protection Unit"),
            ("Detective constable", "Bedfordshire Police Child Abuse Investigation Unit"),
            ("Police sergeant", "Bedfordshire Police Response Team"),
            ("Domestic abuse officer", "Bedfordshire Police Domestic Abuse Investigation Unit"),
            ("Police community support officer", "Bedfordshire Police Neighbourhood Team"),
        ),
    ),
    "7": (
        ReferrerKind.PROFESSIONAL,
        (("Probation officer", "Probation Service"), ("Family court adviser", "Cafcass")),
    ),
    "8": (
        ReferrerKind.PROFESSIONAL,
        (
            ("Youth worker", "Town Youth Centre"),
            ("Outreach worker", "Women's Refuge Outreach"),
            ("Sports coach", "Town Football Club"),
        ),
    ),
    "9": (ReferrerKind.ANONYMOUS, ()),
    "10": (ReferrerKind.MEMBER_OF_PUBLIC, ()),
}
