"""Evaluation test data, built directly (test setup only; the behaviour under test goes through
evaluation.services)."""

from decimal import Decimal

from django.utils import timezone

from evaluation.choices import FrameworkStatus, Level, RoundStatus, ScoringMethod, SubjectRole
from evaluation.models import (
    EvaluationRound,
    Framework,
    GradeBand,
    Indicator,
    RoundExpert,
    Subject,
    SubjectOrganisation,
)
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

DEFAULT_BANDS = [("优", "90"), ("良", "80"), ("中", "60"), ("差", "0")]

# A small framework: four first-tier dimensions of 25 each; every leaf out of 10 points.
SMALL_TREE = [
    ("1", "决策", "25", [("1.1", "需求理解", "60", "expert", False), ("1.2", "方案论证", "40", "expert", False)]),
    ("2", "过程", "25", [("2.1", "实施管理", "100", "expert", True)]),
    ("3", "产出", "25", [("3.1", "首试首用", "50", "expert", False), ("3.2", "成果交付", "50", "expert", False)]),
    ("4", "效益", "25", [("4.1", "降本增效", "100", "expert", False)]),
]


def framework(level: str = Level.ENTERPRISE, *, tree=SMALL_TREE, published: bool = True, version: int | None = None):
    """A framework with first-tier dimensions and leaves (code, name, weight, method, red line);
    published by default. Leaves are out of 10 points."""
    version = (
        version
        or (Framework.objects.filter(level=level).order_by("-version").values_list("version", flat=True).first() or 0)
        + 1
    )
    item = Framework.objects.create(
        level=level,
        version=version,
        name=f"测试指标体系（{Level(level).label}）",
        status=FrameworkStatus.PUBLISHED if published else FrameworkStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )
    for position, (code, name, weight, leaves) in enumerate(tree):
        parent = Indicator.objects.create(
            framework=item, tier=1, code=code, name=name, weight=Decimal(weight), position=position
        )
        for leaf_position, (leaf_code, leaf_name, leaf_weight, method, red_line) in enumerate(leaves):
            Indicator.objects.create(
                framework=item,
                parent=parent,
                tier=2,
                code=leaf_code,
                name=leaf_name,
                weight=Decimal(leaf_weight),
                method=method or ScoringMethod.EXPERT,
                max_points=Decimal("10"),
                is_red_line=red_line,
                position=leaf_position,
            )
    for name, minimum in DEFAULT_BANDS:
        GradeBand.objects.create(framework=item, name=name, min_total=Decimal(minimum), is_lowest=name == "差")
    return item


def expert(**kwargs):
    return UserFactory(
        organisation=kwargs.pop("organisation", None) or OrganisationFactory(kind="institute", name="宁波大学"),
        roles=["judge"],
        **kwargs,
    )


def evaluation_round(*, level: str = Level.ENTERPRISE, status: str = RoundStatus.SCORING, experts: int = 0, **kwargs):
    """A round on a published framework, with `experts` team members (the first leads)."""
    operator = kwargs.pop("opened_by", None) or operator_user()
    item = EvaluationRound.objects.create(
        title=kwargs.pop("title", "2026 年度企业级场景应用评估"),
        level=level,
        year=kwargs.pop("year", 2026),
        framework=kwargs.pop("framework", None) or framework(level),
        status=status,
        opened_by=operator,
        **kwargs,
    )
    for index in range(experts):
        RoundExpert.objects.create(round=item, expert=expert(), is_lead=index == 0, assigned_by=operator)
    return item


def subject(round_, *, scenario=None, organisations=(), title: str = ""):
    """A subject of the round; `organisations` as (organisation, role) pairs, the scenario's
    publisher added for an enterprise-level subject."""
    item = Subject.objects.create(
        round=round_, title=title or (scenario.title if scenario else "宁波市"), scenario=scenario
    )
    pairs = list(organisations)
    if scenario is not None and all(org.pk != scenario.publisher_id for org, _role in pairs):
        pairs.insert(0, (scenario.publisher, SubjectRole.PUBLISHER))
    for organisation, role in pairs:
        SubjectOrganisation.objects.create(subject=item, organisation=organisation, role=role)
    return item
