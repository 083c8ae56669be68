from .contests import AWARD_CAP_LIMIT, ROUND_FIELDS, Challenge, Contest, EligibilityRule
from .entries import ConsortiumMember, ContestEntry, EntryAttachment
from .judging import (
    Criterion,
    JudgeProfile,
    JudgeRelationship,
    PanelMembership,
    Recusal,
    RecusalCommitment,
    RoadshowSlot,
    RunningOrderDraw,
)
from .notices import EntryStepNotice
from .results import Award, CooperationAgreement, Milestone, Objection, PolicyBenefit, ProgressReport
from .scoring import RankingSnapshot, Score, ScoreSheet, ScoringLock, TieDecision

__all__ = [
    "AWARD_CAP_LIMIT",
    "Award",
    "Challenge",
    "ConsortiumMember",
    "Contest",
    "ContestEntry",
    "CooperationAgreement",
    "Criterion",
    "EligibilityRule",
    "EntryAttachment",
    "EntryStepNotice",
    "JudgeProfile",
    "JudgeRelationship",
    "Milestone",
    "Objection",
    "PanelMembership",
    "PolicyBenefit",
    "ProgressReport",
    "ROUND_FIELDS",
    "RankingSnapshot",
    "Recusal",
    "RecusalCommitment",
    "RoadshowSlot",
    "RunningOrderDraw",
    "Score",
    "ScoreSheet",
    "ScoringLock",
    "TieDecision",
]
