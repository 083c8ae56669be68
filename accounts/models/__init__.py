from .organisations import District, Organisation, VerificationEvidence
from .people import Invitation, RegistrationMail, RoleAssignment, User

__all__ = [
    "District",
    "Invitation",
    "Organisation",
    "RegistrationMail",
    "RoleAssignment",
    "User",
    "VerificationEvidence",
]
