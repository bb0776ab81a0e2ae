"""The vocabulary of the MASH front door.

Every enumeration stores its ``value`` in the database, so values are stable codes and never
change meaning; the GUI and the letters word them for people.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    """What a user may do; a user has exactly one role."""

    PRACTITIONER = "practitioner"
    AGENCY = "agency"
    MANAGER = "manager"
    BUSINESS_SUPPORT = "business_support"
    ADMIN = "admin"
    AUDITOR = "auditor"


class AgencyKind(StrEnum):
    SOCIAL_CARE = "social_care"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    PROBATION = "probation"
    HOUSING = "housing"
    DOMESTIC_ABUSE = "domestic_abuse"
    EARLY_HELP = "early_help"
    OTHER = "other"


class TeamKind(StrEnum):
    MASH = "mash"
    ASSESSMENT = "assessment"
    CHILD_PROTECTION = "child_protection"
    EARLY_HELP = "early_help"
    CHILDREN_IN_NEED = "children_in_need"
    PARTNER_AGENCY = "partner_agency"
    OTHER_LOCAL_AUTHORITY = "other_local_authority"


class Channel(StrEnum):
    """How the MASH received the contact."""

    PHONE = "phone"
    EMAIL = "email"
    REFERRAL_FORM = "referral_form"
    POLICE_NOTIFICATION = "police_notification"
    IN_PERSON = "in_person"
    LETTER = "letter"


class ReferrerKind(StrEnum):
    PROFESSIONAL = "professional"
    MEMBER_OF_PUBLIC = "member_of_public"
    FAMILY = "family"
    SELF = "self"
    ANONYMOUS = "anonymous"


class ContactStatus(StrEnum):
    """Where a contact is in its life; transitions live in ``domain.lifecycle``."""

    RECEIVED = "received"
    SCREENED = "screened"
    AGENCY_CHECKS = "agency_checks"
    AWAITING_AUTHORISATION = "awaiting_authorisation"
    RETURNED = "returned"
    AUTHORISED = "authorised"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class LevelOfNeed(IntEnum):
    UNIVERSAL = 1
    EARLY_HELP = 2
    COMPLEX = 3
    ACUTE = 4


class Outcome(StrEnum):
    NFA = "NFA"
    ADVICE_SIGNPOST = "ADVICE_SIGNPOST"
    EARLY_HELP = "EARLY_HELP"
    SINGLE_AGENCY = "SINGLE_AGENCY"
    CFA_S17 = "CFA_S17"
    STRATEGY_S47 = "STRATEGY_S47"
    EMERGENCY_PROTECTION = "EMERGENCY_PROTECTION"
    TRANSFER_OTHER_LA = "TRANSFER_OTHER_LA"
    PASS_TO_ALLOCATED_WORKER = "PASS_TO_ALLOCATED_WORKER"  # noqa: S105 - an outcome code
    MARAC = "MARAC"
    LADO = "LADO"


class Concern(StrEnum):
    NEGLECT = "neglect"
    PHYSICAL_ABUSE = "physical_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    EMOTIONAL_ABUSE = "emotional_abuse"
    DOMESTIC_ABUSE = "domestic_abuse"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health"
    SUBSTANCE_MISUSE = "substance_misuse"
    LEARNING_DISABILITY = "learning_disability"
    CSE = "child_sexual_exploitation"
    CCE = "child_criminal_exploitation"
    MISSING = "missing"
    GANGS = "gangs"
    TRAFFICKING = "trafficking"
    FGM = "fgm"
    FAITH_BASED_ABUSE = "faith_based_abuse"
    SELF_HARM = "self_harm"
    YOUNG_CARER = "young_carer"
    PRIVATE_FOSTERING = "private_fostering"
    UNACCOMPANIED_ASYLUM_SEEKER = "unaccompanied_asylum_seeker"
    RADICALISATION = "radicalisation"
    HOUSING = "housing"
    SCHOOL_ABSENCE = "school_absence"


class ParentsAware(StrEnum):
    """Whether the parents or carers know the MASH has been contacted (asked when a contact is logged)."""

    YES = "yes"
    NO = "no"  # with the reason why not
    NOT_KNOWN = "not_known"


class ConsentStatus(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"
    NOT_POSSIBLE = "not_possible"


class OverrideBasis(StrEnum):
    """Lawful basis recorded when sharing goes ahead without consent."""

    PUBLIC_TASK_SAFEGUARDING = "uk_gdpr_6_1_e_9_2_g_dpa_sch1_p18"
    VITAL_INTERESTS = "uk_gdpr_6_1_d"
    LEGAL_OBLIGATION = "uk_gdpr_6_1_c"


class Confidentiality(StrEnum):
    """Marking an agency puts on what it shares."""

    SHAREABLE = "shareable"
    AGENCY_CONFIDENTIAL = "agency_confidential"
    RESTRICTED = "restricted"


class AgencyRequestStatus(StrEnum):
    OUTSTANDING = "outstanding"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    AUTHORISED = "authorised"
    RETURNED = "returned"
    SUPERSEDED = "superseded"


class HandOffStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class NoteKind(StrEnum):
    CASE_NOTE = "case_note"
    MANAGEMENT_OVERSIGHT = "management_oversight"
    CORRECTION = "correction"


class PersonKind(StrEnum):
    CHILD = "child"
    ADULT = "adult"


class Gender(StrEnum):
    """CIN census gender codes."""

    NOT_KNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    NOT_SPECIFIED = "9"


class RelationshipKind(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    STEP_PARENT = "step_parent"
    PARTNER_OF_PARENT = "partner_of_parent"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    FOSTER_CARER = "foster_carer"
    SIBLING = "sibling"
    OTHER = "other"


class HousingTenure(StrEnum):
    OWNER_OCCUPIED = "owner_occupied"
    SOCIAL_RENT = "social_rent"
    PRIVATE_RENT = "private_rent"
    TEMPORARY = "temporary_accommodation"
    NO_FIXED_ABODE = "no_fixed_abode"
    WITH_FAMILY_OR_FRIENDS = "with_family_or_friends"
    UNKNOWN = "unknown"


class ClockKind(StrEnum):
    """How a timescale counts: every hour, working hours only, or whole working days."""

    CLOCK_HOURS = "clock_hours"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


class TimescaleKey(StrEnum):
    """Rows of the timescale policy table."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    DECISION = "decision"
    HANDOFF_ACCEPTANCE = "handoff_acceptance"
    ACKNOWLEDGEMENT = "acknowledgement"
    SUPERVISION = "supervision"


class LetterRecipient(StrEnum):
    REFERRER = "referrer"
    FAMILY = "family"


class LetterMethod(StrEnum):
    POST = "post"
    SECURE_EMAIL = "secure_email"
    HAND_DELIVERED = "hand_delivered"
