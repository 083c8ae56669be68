from .cases import CaseNominationRule, Replication, TypicalCase
from .frameworks import Framework, GradeBand, Indicator
from .rounds import (
    ConsensusDecision,
    EvaluationCommitment,
    EvaluationRound,
    EvaluationSheet,
    EvidenceFile,
    Finding,
    IndicatorFigure,
    IndicatorScore,
    RoundExpert,
    Subject,
    SubjectOrganisation,
    SubjectResult,
)
from .tolerance import ToleranceCheckpoint, ToleranceExtension, ToleranceIncident, TolerancePeriod

__all__ = [
    "CaseNominationRule",
    "ConsensusDecision",
    "EvaluationCommitment",
    "EvaluationRound",
    "EvaluationSheet",
    "EvidenceFile",
    "Finding",
    "Framework",
    "GradeBand",
    "Indicator",
    "IndicatorFigure",
    "IndicatorScore",
    "Replication",
    "RoundExpert",
    "Subject",
    "SubjectOrganisation",
    "SubjectResult",
    "ToleranceCheckpoint",
    "ToleranceExtension",
    "ToleranceIncident",
    "TolerancePeriod",
    "TypicalCase",
]
