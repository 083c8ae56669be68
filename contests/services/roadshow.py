"""The roadshow running order, drawn by lot."""

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from contests.choices import EntryStatus, Round
from contests.models import Challenge, RoadshowSlot, RunningOrderDraw
from contests.permissions import require_contest_manager
from core.errors import DomainError
from core.services import audit_record


def _shuffled(entry_ids: list[int], seed: str) -> list[int]:
    order = list(entry_ids)
    random.Random(seed).shuffle(order)
    return order


@transaction.atomic
def running_order_draw(
    *, actor: User, challenge: Challenge, first_slot_at, minutes_per_slot: int = 20, room: str = ""
) -> RunningOrderDraw:
    """Draw the roadshow running order by lot (the seed is kept, so the draw can be replayed).

    Side effects: the draw and one slot per eligible entry; an audit record with seed and order."""
    require_contest_manager(actor)
    if hasattr(challenge, "running_order_draw"):
        raise DomainError(_("出场顺序已抽签，不能重抽。"), code="drawn")
    if challenge.contest.is_at_or_after(Round.ROADSHOW):
        raise DomainError(_("路演评审已开始，不能再抽签。"), code="round_closed")
    entries = list(challenge.entries.filter(status=EntryStatus.ELIGIBLE).order_by("pk").values_list("pk", flat=True))
    if not entries:
        raise DomainError(_("还没有通过资格审查的方案。"), code="no_entries")
    if not 5 <= int(minutes_per_slot) <= 120:
        raise DomainError(_("每个方案的路演时长应在 5–120 分钟之间。"), code="minutes")
    seed = secrets.token_hex(16)
    order = _shuffled(entries, seed)
    draw = RunningOrderDraw.objects.create(challenge=challenge, seed=seed, order=order, drawn_by=actor)
    RoadshowSlot.objects.bulk_create(
        [
            RoadshowSlot(
                entry_id=entry_id,
                position=position,
                starts_at=first_slot_at + timedelta(minutes=minutes_per_slot * (position - 1)),
                room=(room or "")[:50],
            )
            for position, entry_id in enumerate(order, start=1)
        ]
    )
    audit_record(actor=actor, action="roadshow.draw", target=challenge, after={"seed": seed, "order": order})
    return draw


def replay_draw(draw: RunningOrderDraw) -> list[int]:
    """Recompute a draw from its seed (anyone can check it was not arranged). Reads only."""
    return _shuffled(sorted(draw.order), draw.seed)
