"""Factories for steering, one section per topic."""

# === Targets ===
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from evaluation.choices import CaseStatus, ReplicationKind, ReplicationStatus
from evaluation.models import Replication, TypicalCase
from steering.models import HighGrowthListing
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.evaluation import evaluation_round, subject
from tests.factories.scenarios import ScenarioFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An aware moment on a Beijing-time day."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def approved_case(title: str = "宁波舟山港梅山港区集装箱卡车智能调度与无人化运输典型应用") -> TypicalCase:
    scenario = ScenarioFactory(title=title, status="in_implementation")
    return TypicalCase.objects.create(
        subject=subject(evaluation_round(), scenario=scenario),
        status=CaseStatus.APPROVED,
        title=title,
        solution="基于视觉识别的集卡智能调度系统",
        outcomes="排队时间缩短 40%",
        decided_at=timezone.now(),
    )


def verified_replication(case, adopter, verified_at, *, status=ReplicationStatus.VERIFIED) -> Replication:
    replication = Replication.objects.create(
        case=case,
        adopter=adopter,
        kind=ReplicationKind.ADOPTION,
        description="在本单位园区推广应用，覆盖 3 个作业区",
        recorded_by=UserFactory(organisation=adopter, roles=["company"]),
        status=status,
    )
    if status == ReplicationStatus.VERIFIED:
        Replication.objects.filter(pk=replication.pk).update(verified_at=verified_at)
        replication.refresh_from_db()
    return replication


def listed_company(listed_on: datetime.date, *, delisted_on=None, **kwargs):
    """A verified company on the 高成长性科技企业 list since listed_on (verified the day before)."""
    company = OrganisationFactory(is_high_growth=delisted_on is None, **kwargs)
    company.verified_at = at(listed_on - datetime.timedelta(days=1))
    company.save(update_fields=["verified_at"])
    HighGrowthListing.objects.create(organisation=company, listed_on=listed_on, delisted_on=delisted_on)
    return company


def high_growth_workbook(
    rows, *, headers=("统一社会信用代码", "企业名称"), name="高成长性科技企业名单（2026年第一批）.xlsx"
):
    """An uploaded .xlsx of the list: headers then rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/vnd.ms-excel")


# === Programme tasks ===

# === SOE assessment ===

# === Reports ===
