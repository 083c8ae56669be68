from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# === Targets ===


class TargetMetric(models.TextChoices):
    """The 十百千 metrics (policy §一(三)); each is a counting rule in steering/target_rules.py."""

    FLAGSHIP = "flagship", _("特色示范性场景")
    REPLICATIONS = "replications", _("复制推广典型应用")
    HIGH_GROWTH = "high_growth", _("高成长性科技企业")


class HighGrowthImportState(models.TextChoices):
    CHECKED = "checked", _("已试导入")
    APPLIED = "applied", _("已生效")


# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
