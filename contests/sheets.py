"""Score-sheet arithmetic: a criterion's points as typed, and the signature hash of a sheet."""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import DomainError

HALF = Decimal("0.5")


def parse_points(value, criterion) -> Decimal | None:
    """A criterion's points: blank (not yet scored), or 0 to its maximum in steps of 0.5."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("“%(name)s”的得分应为数字。") % {"name": criterion.name}, code="points") from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise DomainError(
            _("“%(name)s”的得分应在 0–%(max)d 分之间。") % {"name": criterion.name, "max": criterion.max_points},
            code="points_bounds",
        )
    if points % HALF != 0:
        raise DomainError(_("“%(name)s”的得分最小单位为 0.5 分。") % {"name": criterion.name}, code="points_step")
    return points.quantize(Decimal("0.1"))


def signature_sha256(content: dict) -> str:
    """SHA-256 of a signed sheet's content (canonical JSON: sorted keys, UTF-8). Contest score
    sheets and evaluation sheets are signed the same way."""
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def sheet_content_sha256(sheet, scores, signed_at) -> str:
    """SHA-256 of what a judge signs: entry, judge, time and every criterion's points and comment."""
    content = {
        "entry": sheet.entry_id,
        "judge": sheet.judge_id,
        "signed_at": signed_at.isoformat(),
        "scores": sorted([score.criterion_id, str(score.points), score.comment] for score in scores),
    }
    return signature_sha256(content)
