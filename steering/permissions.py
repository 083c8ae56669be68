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


def programme_units_of(user) -> list[int]:
    """The ids of the programme units the user reports for: an official-role user whose
    organisation is a unit's organisation (department staff). Cached on the user for the request."""
    if not is_official(user) or not user.organisation_id:
        return []
    cached = getattr(user, "_programme_units", None)
    if cached is None:
        from steering.models import ProgrammeUnit

        cached = list(ProgrammeUnit.objects.filter(organisation_id=user.organisation_id).values_list("pk", flat=True))
        user._programme_units = cached
    return cached


def is_unit_reporter(user) -> bool:
    return bool(programme_units_of(user))


def may_read_programme(user) -> bool:
    """Operators, department staff of a unit, and officials in no unit (city leaders) read the
    programme; leaders read everything, read-only."""
    return may_steer(user)


def may_run_programme(user) -> bool:
    """Operators run cycles, decide on reports, edit milestones, issue and close 督办单."""
    return is_operator(user)


def may_file_report(user, report) -> bool:
    return report.unit_id in programme_units_of(user)


class MayReadProgramme(BasePermission):
    def has_permission(self, request, view):
        return may_read_programme(request.user)


class MayRunProgramme(BasePermission):
    def has_permission(self, request, view):
        return may_run_programme(request.user)


# === SOE assessment ===


def may_record_product_use(user) -> bool:
    """Records a use of a contest product: an operator (for any using organisation), or a
    publisher of an organisation that may use one (an SOE, a department, an institute)."""
    if is_operator(user):
        return True
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    return bool(
        organisation is not None
        and user.has_role("publisher")
        and organisation.kind in ("soe", "government", "institute")
    )


def may_verify_product_use(user) -> bool:
    """Verifies or rejects uses and edits the year's points: operators only."""
    return is_operator(user)


class MayVerifyProductUse(BasePermission):
    def has_permission(self, request, view):
        return may_verify_product_use(request.user)


# === Cockpit ===

# === Reports ===
