"""The scenario workflow: which action moves a scenario from which states to which, and who may.

draft → submitted → approved → published → (in_contest | matched) → in_implementation →
demonstrated → closed; rejected and withdrawn with a reason. Mature-technology scenarios take the
short path: approval publishes them at once (policy: 精简审批流程).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scenarios.choices import ScenarioStatus as S

PUBLISHER = "publisher"  # a member of the publishing organisation holding the publisher role
OPERATOR = "operator"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset
    target: str
    actors: frozenset
    reason_required: bool = False
    # A step that is only ever part of another action (entering a contest is part of publishing a
    # challenge in it): no button or API action offers it alone, and this says where to go instead.
    part_of: str | Promise = ""


TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition("submit", _("提交审核"), frozenset({S.DRAFT, S.REJECTED}), S.SUBMITTED, frozenset({PUBLISHER})),
        Transition("approve", _("审核通过"), frozenset({S.SUBMITTED}), S.APPROVED, frozenset({OPERATOR})),
        Transition(
            "reject",
            _("退回修改"),
            frozenset({S.SUBMITTED, S.APPROVED}),
            S.REJECTED,
            frozenset({OPERATOR}),
            reason_required=True,
        ),
        Transition("publish", _("发布"), frozenset({S.APPROVED}), S.PUBLISHED, frozenset({OPERATOR})),
        Transition(
            "withdraw",
            _("撤回"),
            frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.PUBLISHED}),
            S.WITHDRAWN,
            frozenset({PUBLISHER}),
            reason_required=True,
        ),
        Transition("reopen", _("重新编辑"), frozenset({S.WITHDRAWN}), S.DRAFT, frozenset({PUBLISHER})),
        Transition(
            "enter_contest",
            _("进入场景大赛"),
            frozenset({S.PUBLISHED}),
            S.IN_CONTEST,
            frozenset({PUBLISHER, OPERATOR}),
            part_of=_("场景通过在场景大赛中发榜进入大赛：请在大赛页面选择“发榜”。"),
        ),
        Transition(
            "mark_matched", _("标记已对接"), frozenset({S.PUBLISHED}), S.MATCHED, frozenset({PUBLISHER, OPERATOR})
        ),
        Transition(
            "start_implementation",
            _("开始实施"),
            frozenset({S.IN_CONTEST, S.MATCHED}),
            S.IN_IMPLEMENTATION,
            frozenset({PUBLISHER, OPERATOR}),
        ),
        Transition(
            "mark_demonstrated", _("认定示范"), frozenset({S.IN_IMPLEMENTATION}), S.DEMONSTRATED, frozenset({OPERATOR})
        ),
        Transition(
            "close", _("结束"), frozenset({S.IN_IMPLEMENTATION, S.DEMONSTRATED}), S.CLOSED, frozenset({OPERATOR})
        ),
    ]
}

# The actions a person may take on their own (buttons, API actions, the review queue).
OFFERED = {action: transition for action, transition in TRANSITIONS.items() if not transition.part_of}

# What the scenario is waiting for, in each state, shown on "my scenarios".
WAITING_FOR = {
    S.DRAFT: _("待您完善并提交审核"),
    S.SUBMITTED: _("等待运营方审核"),
    S.APPROVED: _("审核通过，等待运营方发布"),
    S.PUBLISHED: _("已向企业开放，等待对接或进入大赛"),
    S.IN_CONTEST: _("场景大赛进行中"),
    S.MATCHED: _("已对接供应商，等待开始实施"),
    S.IN_IMPLEMENTATION: _("实施中，等待示范认定"),
    S.DEMONSTRATED: _("已示范，等待结束"),
    S.CLOSED: _("已结束"),
    S.REJECTED: _("已退回：请按意见修改后重新提交"),
    S.WITHDRAWN: _("已撤回：可重新编辑"),
}


def target_of(action: str, track: str) -> str:
    """Where an action leads; approving a mature-technology scenario publishes it at once."""
    from scenarios.choices import Track

    transition = TRANSITIONS[action]
    if action == "approve" and track == Track.MATURE:
        return S.PUBLISHED
    return transition.target
