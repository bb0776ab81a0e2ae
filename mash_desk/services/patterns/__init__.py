"""Patterns nobody should miss, read from the whole record: for a queue page, a contact, a period.

The rules are ``domain.patterns``; this module reads what they need in two set-based queries for
any number of contacts at once (the contacts and their children, then every contact about those
children in the window), so a queue page of 50 rows costs two queries, not fifty. A manager records
what they decided about a cumulative neglect pattern, and whoever spoke to the family records who
interpreted; both audited. Partner agencies see no patterns: they are made of contacts an agency
was never asked about.
"""

from __future__ import annotations

from mash_desk.services.patterns.contact import (
    ContactPatterns,
    ConversationInput,
    ConversationRow,
    PatternCause,
    PatternView,
    ResponseRow,
    contact_patterns,
    record_conversation,
    record_response,
    validate_conversation,
)
from mash_desk.services.patterns.figures import (
    PATTERN_LABELS,
    OpenPatterns,
    PatternCount,
    neglect_awaiting_decision,
    open_patterns,
    pattern_counts,
)
from mash_desk.services.patterns.history import (
    findings_for,
    history_for,
    kinds_for,
    patterns_of,
)
from mash_desk.services.patterns.policy import (
    ThresholdRow,
    load_thresholds,
    read_thresholds,
    set_threshold,
    thresholds_by_key,
)
from mash_desk.services.patterns.rules import (
    CONVERSATION_RECORDERS,
    MAX_LANGUAGE,
    MAX_SPOKE_WITH,
    PATTERN_READERS,
    PERIOD_CHUNK,
)

__all__ = [
    "CONVERSATION_RECORDERS",
    "MAX_LANGUAGE",
    "MAX_SPOKE_WITH",
    "PATTERN_LABELS",
    "PATTERN_READERS",
    "PERIOD_CHUNK",
    "ContactPatterns",
    "ConversationInput",
    "ConversationRow",
    "OpenPatterns",
    "PatternCause",
    "PatternCount",
    "PatternView",
    "ResponseRow",
    "ThresholdRow",
    "contact_patterns",
    "findings_for",
    "history_for",
    "kinds_for",
    "load_thresholds",
    "neglect_awaiting_decision",
    "open_patterns",
    "pattern_counts",
    "patterns_of",
    "read_thresholds",
    "record_conversation",
    "record_response",
    "set_threshold",
    "thresholds_by_key",
    "validate_conversation",
]
