from .organisations import District, Organisation
from .people import Invitation, RoleAssignment, User

__all__ = ["District", "Invitation", "Organisation", "RoleAssignment", "User"]
