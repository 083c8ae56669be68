"""Every write of matching. Import from here: `from matching.services import match_answer`.

The engine (matching/engine/) writes the matches themselves: a rebuild and the rematch of one
scenario or one entry, run by matching/tasks.py and the rebuild job (matching/jobs.py)."""

from .affinities import affinity_update, field_affinity_add, field_affinity_remove, field_affinity_update
from .feedback import match_answer
from .next_steps import match_enquire, match_invite

__all__ = [
    "affinity_update",
    "field_affinity_add",
    "field_affinity_remove",
    "field_affinity_update",
    "match_answer",
    "match_enquire",
    "match_invite",
]
