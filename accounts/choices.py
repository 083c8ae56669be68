from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SOE = "soe", _("国有企业")
    GOVERNMENT = "government", _("政府部门")
    COMPANY = "company", _("企业")
    ASSOCIATION = "association", _("行业协会/服务平台")
    INSTITUTE = "institute", _("高校/科研院所")
    INTERMEDIARY = "intermediary", _("中介机构")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("未通过")


class RegistrationMailPurpose(models.TextChoices):
    """What a mail the registration page sends says. The page after registering reads the same
    whichever it is, so nobody learns there whether an e-mail address or a user name is taken."""

    CONFIRM = "confirm", _("确认注册邮箱")
    ALREADY_REGISTERED = "already_registered", _("邮箱已有账号")
    USERNAME_TAKEN = "username_taken", _("用户名已被使用")


class Role(models.TextChoices):
    PUBLISHER = "publisher", _("发榜方")
    COMPANY = "company", _("企业用户")
    ASSOCIATION = "association", _("协会用户")
    JUDGE = "judge", _("评审专家")
    OPERATOR = "operator", _("运营管理")
    OFFICIAL = "official", _("领导/部门")
    AUDITOR = "auditor", _("安全审计员")
    ADMIN = "admin", _("系统管理员")


# 三员分立: an account holding one of these holds no other role.
EXCLUSIVE_ROLES = frozenset({Role.AUDITOR, Role.ADMIN})

# Which organisation kinds a role's holder may belong to. None means "no organisation needed".
ROLE_ORGANISATION_KINDS = {
    Role.PUBLISHER: {OrganisationKind.SOE, OrganisationKind.GOVERNMENT, OrganisationKind.INSTITUTE},
    Role.COMPANY: {OrganisationKind.COMPANY},
    Role.ASSOCIATION: {OrganisationKind.ASSOCIATION},
    Role.OPERATOR: {OrganisationKind.GOVERNMENT},
    Role.OFFICIAL: {OrganisationKind.GOVERNMENT, None},
    Role.JUDGE: set(OrganisationKind) | {None},
    Role.AUDITOR: set(OrganisationKind) | {None},
    Role.ADMIN: set(OrganisationKind) | {None},
}

# The order in which a person's home page is chosen when they hold several roles.
ROLE_HOME_PRIORITY = [
    Role.ADMIN,
    Role.AUDITOR,
    Role.OPERATOR,
    Role.OFFICIAL,
    Role.PUBLISHER,
    Role.ASSOCIATION,
    Role.COMPANY,
    Role.JUDGE,
]

# Roles an organisation's admin may give to a colleague, by organisation kind.
INVITABLE_ROLES = {
    OrganisationKind.SOE: [Role.PUBLISHER],
    OrganisationKind.GOVERNMENT: [Role.PUBLISHER],
    OrganisationKind.INSTITUTE: [Role.PUBLISHER],
    OrganisationKind.COMPANY: [Role.COMPANY],
    OrganisationKind.ASSOCIATION: [Role.ASSOCIATION],
    OrganisationKind.INTERMEDIARY: [],
}

# Roles an operator creates accounts for directly.
OPERATOR_CREATED_ROLES = [Role.JUDGE, Role.OFFICIAL]

# Roles whose holders prove a second factor (TOTP) at sign-in when it is required
# (PORTAL_REQUIRE_TOTP) or when they have set one up: the roles that decide, steer or administer.
SECOND_FACTOR_ROLES = frozenset({Role.OPERATOR, Role.OFFICIAL, Role.JUDGE, Role.ADMIN, Role.AUDITOR})
