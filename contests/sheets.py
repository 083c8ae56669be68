"""Score-sheet arithmetic: a criterion's points as typed, and the signature hash of a sheet."""

import hashlib
import json
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

HALF = Decimal("0.5")


# Plain ASCII digits with an optional fraction. Decimal() alone also takes full-width digits ("９"),
# other scripts' digits, exponents ("1e1") and underscores ("1_0"): a score is none of those.
POINTS_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def parse_points(value, criterion) -> Decimal | None:
    """A criterion's points: blank (not yet scored), or 0 to its maximum in steps of 0.5, written
    in ASCII digits."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not POINTS_TEXT.fullmatch(text):
        raise DomainError(
            _("“%(name)s”的得分应为数字，请用半角数字填写（如 12 或 12.5）。") % {"name": criterion.name},
            code="points",
        )
    points = Decimal(text)  # POINTS_TEXT admits only what Decimal reads
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise DomainError(
            _("“%(name)s”的得分应在 0–%(max)d 分之间。") % {"name": criterion.name, "max": criterion.max_points},
            code="points_bounds",
        )
    if points % HALF != 0:
        raise DomainError(_("“%(name)s”的得分最小单位为 0.5 分。") % {"name": criterion.name}, code="points_step")
    # abs(): "-0" passes the bounds as Decimal("-0"), which would be signed as "-0.0" and shown so,
    # while the database keeps 0 (a signature that no longer matches its sheet).
    return abs(points).quantize(Decimal("0.1"))


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


# An API sheet longer than this is refused before any line is read (DRF's ListSerializer max_length).
TOO_MANY_LINES = gettext_lazy("评分项不能超过 {max_length} 项。")


def repeated_lines_message(keys) -> str:
    """A sheet names each criterion (or indicator) once. The refusal for one that repeats some —
    thousands of times, perhaps — naming their numbers; "" when none repeats."""
    seen, repeated = set(), []
    for key in keys:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    if not repeated:
        return ""
    return _("同一评分项填写了多次（编号 %(ids)s），每项只能填写一次。") % {
        "ids": "、".join(str(key) for key in repeated[:5])
    }


def posted_keys(data, keys) -> list:
    """Each key of a sheet page's rows (`points_<key>`, `comment_<key>`) as many times as its row
    was posted: a QueryDict keeps every repetition of a field, which a form would read as its last."""
    getlist = getattr(data, "getlist", None)
    if getlist is None:
        return list(keys)
    rows = {key: max(len(getlist(f"points_{key}")), len(getlist(f"comment_{key}")), 1) for key in keys}
    return [key for key, count in rows.items() for _row in range(count)]
