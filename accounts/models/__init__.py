from .organisations import District, Organisation
from .people import Invitation, RegistrationMail, RoleAssignment, User

__all__ = ["District", "Invitation", "Organisation", "RegistrationMail", "RoleAssignment", "User"]
