"""One action on many items (a review queue's bulk decision): each item on its own.

A service that acts on many items calls `each_on_its_own` with the one-item service: every item
gets its own call (and so its own transaction); an item refused neither stops nor undoes the
others, and its refusal is kept as "label：why". Pages show the result with core.actions.batch_action.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.errors import DomainError


@dataclass(frozen=True)
class BatchResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)  # "label：why" for each item refused


def each_on_its_own(items: Iterable, action: Callable, *, label: Callable) -> BatchResult:
    """Call `action(item)` for each item; a DomainError refuses that item only."""
    done, refused = 0, []
    for item in items:
        try:
            action(item)
        except DomainError as refusal:
            refused.append(f"{label(item)}：{refusal.message}")
        else:
            done += 1
    return BatchResult(done=done, refused=refused)
