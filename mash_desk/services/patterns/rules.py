"""Who sees and records patterns, and the limits on what is typed."""

from __future__ import annotations

from mash_desk.domain.enums import Role

# who sees patterns: the MASH's own staff and those who oversee them
PATTERN_READERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT, Role.AUDITOR, Role.ADMIN})
CONVERSATION_RECORDERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.BUSINESS_SUPPORT})
MAX_SPOKE_WITH = 120
PERIOD_CHUNK = 5000  # contacts whose patterns are read at once for a period's figures
MAX_LANGUAGE = 60
