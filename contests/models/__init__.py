from .contests import AWARD_CAP_LIMIT, ROUND_FIELDS, Challenge, Contest, EligibilityRule
from .entries import ConsortiumMember, ContestEntry, EntryAttachment
from .judging import Criterion, JudgeProfile, JudgeRelationship, PanelMembership, Recusal, RecusalCommitment, RoadshowSlot, RunningOrderDraw

__all__ = [
    "AWARD_CAP_LIMIT",
    "ROUND_FIELDS",
    "Challenge",
    "ConsortiumMember",
    "Contest",
    "ContestEntry",
    "Criterion",
    "EligibilityRule",
    "EntryAttachment",
    "JudgeProfile",
    "JudgeRelationship",
    "PanelMembership",
    "Recusal",
    "RecusalCommitment",
    "RoadshowSlot",
    "RunningOrderDraw",
]
