"""Test data of the results and findings tests: a round with one 企业级 subject (a publisher SOE and
a supplier company) and its team, and sheets written directly (the sheets' own service is another
topic's; here a submitted sheet is a row with its signature fields set)."""

from decimal import Decimal

from django.utils import timezone

from contests.choices import SheetStatus
from evaluation.choices import SubjectRole
from evaluation.models import EvaluationSheet, Indicator, IndicatorScore, RoundExpert
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import soe

LEAVES = ["1.1", "1.2", "2.1", "3.1", "3.2", "4.1"]


def make_round(experts: int = 3, **kwargs):
    """(round, subject, [experts]) — the first expert leads the team."""
    round_ = factories.evaluation_round(experts=experts, **kwargs)
    publisher = soe(name=f"宁波测试集团{round_.pk}")
    supplier = OrganisationFactory(name=f"宁波测试智能科技有限公司{round_.pk}")
    subject = factories.subject(
        round_,
        title=kwargs.get("subject_title", "智慧港口调度场景"),
        organisations=[(publisher, SubjectRole.PUBLISHER), (supplier, SubjectRole.SUPPLIER)],
    )
    team = [member.expert for member in RoundExpert.objects.filter(round=round_).order_by("assigned_at", "id")]
    return round_, subject, team


def add_subject(round_, title: str):
    supplier = OrganisationFactory()
    return factories.subject(round_, title=title, organisations=[(supplier, SubjectRole.SUPPLIER)])


def leaf(round_, code: str) -> Indicator:
    return Indicator.objects.get(framework_id=round_.framework_id, code=code)


def submit_sheet(subject, expert, points, red_line=()):
    """A submitted sheet: `points` is one value for every leaf, or {code: value}."""
    if not isinstance(points, dict):
        points = {code: points for code in LEAVES}
    # Scores first, then signed: on PostgreSQL a signed sheet takes no new score (evaluation 0003).
    sheet = EvaluationSheet.objects.create(subject=subject, expert=expert, status=SheetStatus.DRAFT)
    for code, value in points.items():
        IndicatorScore.objects.create(
            sheet=sheet,
            indicator=leaf(subject.round, code),
            points=Decimal(str(value)),
            red_line_hit=code in red_line,
        )
    sheet.status, sheet.submitted_at, sheet.content_sha256 = SheetStatus.SUBMITTED, timezone.now(), "x" * 64
    sheet.save(update_fields=["status", "submitted_at", "content_sha256"])
    return sheet


def submit_columns(subject, experts, columns: dict, red_line: dict | None = None):
    """columns: {code: [expert 1's points, expert 2's, …]}; red_line: {code: [expert indexes]}."""
    red_line = red_line or {}
    for index, expert in enumerate(experts):
        submit_sheet(
            subject,
            expert,
            {code: values[index] for code, values in columns.items()},
            red_line={code for code, marks in red_line.items() if index in marks},
        )


def subject_user(subject, roles=("publisher",)):
    link = subject.subject_organisations.select_related("organisation").first()
    return UserFactory(organisation=link.organisation, roles=list(roles))
