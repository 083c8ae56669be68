"""Reference data of steering, one function per topic; the data migrations call them with the
historical models, and tests call them again after a flush."""

import datetime

# === Targets ===

# Policy §一(三): 力争到2025年 10 个特色示范性场景、100 个复制推广典型应用、1000 家高成长性科技企业.
POLICY_TARGETS = [
    ("flagship", "十 · 特色示范性场景（2025年）", 10, [("2023-12-31", 3), ("2024-12-31", 6)]),
    ("replications", "百 · 复制推广典型应用（2025年）", 100, [("2023-12-31", 30), ("2024-12-31", 65)]),
    ("high_growth", "千 · 高成长性科技企业（2025年）", 1000, [("2023-12-31", 300), ("2024-12-31", 650)]),
]
POLICY_STARTS_ON = datetime.date(2023, 1, 1)
POLICY_DEADLINE = datetime.date(2025, 12, 31)
POLICY_NOTE = (
    "依据《关于开放应用场景推动创新发展的实施意见》“十百千”工程：力争到2025年。年度计划节点为初始设定，运营方可调整。"
)


def seed_policy_targets(Target, TargetPlanPoint) -> None:  # noqa: N803 - historical models
    """The policy's city targets with a yearly plan, unless a city target of that metric exists."""
    for metric, title, value, plan in POLICY_TARGETS:
        if Target.objects.filter(metric=metric, district__isnull=True).exists():
            continue
        target = Target.objects.create(
            metric=metric,
            title=title,
            target_value=value,
            baseline=0,
            starts_on=POLICY_STARTS_ON,
            deadline=POLICY_DEADLINE,
            note=POLICY_NOTE,
        )
        TargetPlanPoint.objects.bulk_create(
            [TargetPlanPoint(target=target, day=datetime.date.fromisoformat(day), planned_value=v) for day, v in plan]
        )


def seed_high_growth_listings(Organisation, HighGrowthListing) -> None:  # noqa: N803 - historical models
    """A listing for every company flagged 高成长性 today (and not yet listed), from the day it was
    verified (or created), so the 千 figure has dates to count from."""
    from django.utils import timezone

    listed = set(HighGrowthListing.objects.filter(delisted_on__isnull=True).values_list("organisation_id", flat=True))
    rows = []
    for organisation in Organisation.objects.filter(is_high_growth=True, kind="company").exclude(pk__in=listed):
        since = organisation.verified_at or organisation.created_at
        rows.append(HighGrowthListing(organisation=organisation, listed_on=timezone.localtime(since).date()))
    HighGrowthListing.objects.bulk_create(rows)


# === Programme tasks ===

# === SOE assessment ===

# === Reports ===
