"""States of the ground floor's own records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class AuditKind(models.TextChoices):
    """The kinds of audit event the auditor filters by (core.audit_catalogue says which action is
    which kind)."""

    SIGN_IN = "sign_in", _("登录与身份验证")
    ACCOUNT = "account", _("账号与角色")
    DENIAL = "denial", _("越权访问被拒绝")
    EXPORT = "export", _("数据导出")
    DOWNLOAD = "download", _("文件下载")
    SCORING = "scoring", _("评分与奖励")
    ADMIN = "admin", _("后台管理")
    AUDIT = "audit", _("审计日志查阅与清理")
    CHANGE = "change", _("业务数据变更")
