from .organisations import District, Organisation, VerificationEvidence
from .people import Invitation, RegistrationMail, RoleAssignment, User
from .security import ApiToken, PreviousPassword, RecoveryCode, TotpDevice

__all__ = [
    "ApiToken",
    "PreviousPassword",
    "RecoveryCode",
    "TotpDevice",
    "District",
    "Invitation",
    "Organisation",
    "RegistrationMail",
    "RoleAssignment",
    "User",
    "VerificationEvidence",
]
