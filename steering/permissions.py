"""Who may do what in 统筹调度: plain predicates, and the DRF permission classes built on them.

Operators (市科技局 运营管理) run the programme: they edit targets, open cycles, accept or return
reports, issue 督办单. Officials read everything; an official whose organisation is a programme
unit (a 牵头单位 or 配合单位) also files that unit's reports. Pages answer 404 to anyone else
(core.permissions.require); services refuse with PermissionDenied.
"""

from rest_framework.permissions import BasePermission

from accounts.permissions import is_official, is_operator


def may_steer(user) -> bool:
    """Reads the programme: the 驾驶舱, targets, tasks, assessments and reports."""
    return is_operator(user) or is_official(user)


class MaySteer(BasePermission):
    def has_permission(self, request, view):
        return may_steer(request.user)


# === Targets ===


def may_edit_targets(user) -> bool:
    """Sets targets and their plans, imports the 高成长性科技企业 list: operators only."""
    return is_operator(user)


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
