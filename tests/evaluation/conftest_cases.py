"""Data for the typical-case, replication and tolerance tests: closed rounds with published
results written directly (the results helper's service computes them in production)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.choices import CaseStatus, Level, RoundStatus, SubjectRole
from evaluation.models import SubjectResult, TolerancePeriod, TypicalCase
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.evaluation import evaluation_round, subject
from tests.factories.scenarios import ScenarioFactory

PDF = b"%PDF-1.4\n% test evidence\n"


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


@pytest.fixture
def operator():
    return operator_user()


def evidence_pdf(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def result_json(total="86.50", benefit="21.30", benefit_weight="25.00", red_line_hits=(), grade="良"):
    return {
        "total": total,
        "grade": grade,
        "red_line_hits": list(red_line_hits),
        "dimensions": [
            {"code": "1", "name": "决策", "weight": "25.00", "score": "22.00"},
            {"code": "2", "name": "过程", "weight": "25.00", "score": "21.00"},
            {"code": "3", "name": "产出", "weight": "25.00", "score": "22.20"},
            {"code": "4", "name": "效益", "weight": benefit_weight, "score": benefit},
        ],
    }


def closed_round(level=Level.ENTERPRISE, year=2026):
    return evaluation_round(level=level, status=RoundStatus.CLOSED, year=year)


def evaluated_subject(round_=None, *, supplier=None, published=True, **figures):
    """A subject of a closed round (a published scenario of an SOE, with a supplier company) and
    its published result with the given figures."""
    round_ = round_ or closed_round()
    scenario = ScenarioFactory(status="in_implementation", need_description="港区集卡排队严重，需要智能调度。")
    supplier = supplier or OrganisationFactory(name="宁波智运科技有限公司")
    item = subject(round_, scenario=scenario, organisations=[(supplier, SubjectRole.SUPPLIER)])
    data = result_json(**figures)
    SubjectResult.objects.create(
        subject=item,
        inputs={},
        inputs_sha256="0" * 64,
        results=data,
        total=Decimal(data["total"]),
        grade=data["grade"],
        red_line_hit=bool(data["red_line_hits"]),
        is_published=published,
    )
    return item


def approved_case(**figures) -> TypicalCase:
    item = evaluated_subject(**figures)
    supplier = item.subject_organisations.get(role=SubjectRole.SUPPLIER).organisation
    return TypicalCase.objects.create(
        subject=item,
        status=CaseStatus.APPROVED,
        title=item.scenario.title,
        problem=item.scenario.need_description,
        solution="基于视觉识别的集卡智能调度系统",
        supplier=supplier,
        outcomes="排队时间缩短 40%",
        decision_reason="成效显著",
        decided_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )


def company_user(organisation=None, **kwargs):
    return UserFactory(organisation=organisation or OrganisationFactory(), roles=["company"], **kwargs)


def forward_scenario(**kwargs):
    return ScenarioFactory(
        track="forward_looking",
        status="in_implementation",
        tolerance_start=kwargs.pop("tolerance_start", datetime.date(2026, 1, 1)),
        tolerance_end=kwargs.pop("tolerance_end", datetime.date(2026, 12, 31)),
        **kwargs,
    )


def open_period(operator, scenario=None, **kwargs) -> TolerancePeriod:
    from evaluation.services import tolerance_period_open

    return tolerance_period_open(actor=operator, scenario=scenario or forward_scenario(), **kwargs)
