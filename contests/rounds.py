"""When each contest action may happen: guards that refuse an action outside its round, saying
when the round opens or when it closed."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.choices import Round
from core.errors import DomainError

# Judges score during 路演评审 and, for entries flagged for re-review, during 复议.
SCORING_ROUNDS = (Round.ROADSHOW, Round.REVIEW)


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def require_round(contest, round_name: str, action: str, now=None) -> None:
    """Refuse an action outside its round, saying when it opens or when it closed."""
    now = now or timezone.now()
    start, end = contest.round_start(round_name), contest.round_end(round_name)
    label = dict(Round.choices)[round_name]
    if now < start:
        raise DomainError(
            _("“%(action)s”在%(round)s阶段进行，将于 %(start)s 开始。")
            % {"action": action, "round": label, "start": _local(start)},
            code="round_not_open",
        )
    if end is not None and now >= end:
        raise DomainError(
            _("“%(action)s”已于 %(end)s 截止（%(round)s阶段已结束）。")
            % {"action": action, "round": label, "end": _local(end)},
            code="round_closed",
        )


def scoring_open(contest) -> bool:
    return contest.current_round() in SCORING_ROUNDS


def require_scoring_open(challenge) -> None:
    if not scoring_open(challenge.contest):
        raise DomainError(_("评分在路演评审和复议阶段进行，当前不能评分。"), code="round_closed")


def require_scoring_over(contest) -> None:
    """Each judge's points per criterion are for after scoring (from 公示 on), never while it is open."""
    if not contest.is_at_or_after(Round.NOTICE):
        raise DomainError(
            _("评分汇总表含每位专家的逐项评分，评分结束（公示开始）后才能生成。"), code="scoring_not_over"
        )
