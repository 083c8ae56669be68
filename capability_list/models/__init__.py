"""The 能力清单's models: the catalogue (catalogue.py) and the proposed changes to listed entries
with the credentials' evidence files (changes.py)."""

from .catalogue import (
    AgendaItem,
    CapabilityEntry,
    Credential,
    Edition,
    Enquiry,
    Holiday,
    ImportBatch,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from .changes import CapabilityEntryRevision, CredentialEvidence

__all__ = [
    "AgendaItem",
    "CapabilityEntry",
    "CapabilityEntryRevision",
    "Credential",
    "CredentialEvidence",
    "Edition",
    "Enquiry",
    "Holiday",
    "ImportBatch",
    "Industry",
    "MatchmakingEvent",
    "StrategicArea",
]
