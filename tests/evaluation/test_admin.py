"""Evaluation in the system administrator's admin: every model read-only, no points shown,
changelists of fixed cost, and nobody else let in."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin

from contests.choices import SheetStatus
from evaluation.choices import ReplicationKind, SubjectRole
from evaluation.models import (
    CaseNominationRule,
    EvaluationRound,
    EvaluationSheet,
    Finding,
    Framework,
    IndicatorScore,
    Replication,
    Subject,
    ToleranceCheckpoint,
    ToleranceExtension,
    ToleranceIncident,
    TolerancePeriod,
    TypicalCase,
)
from tests.admin_checks import admin_url, assert_read_only, changelist_queries, system_administrator
from tests.evaluation.conftest_cases import approved_case, company_user, forward_scenario
from tests.evaluation.conftest_results import leaf, make_round, submit_sheet
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

EVALUATION_MODELS = [
    Framework,
    EvaluationRound,
    Subject,
    EvaluationSheet,
    Finding,
    CaseNominationRule,
    TypicalCase,
    Replication,
    TolerancePeriod,
]


def _finding(subject, number: int = 0) -> Finding:
    link = subject.subject_organisations.get(role=SubjectRole.SUPPLIER)
    return Finding.objects.create(
        subject=subject,
        indicator=leaf(subject.round, "2.1"),
        severity="general",
        description=f"佐证材料不完整{number}",
        recommendation="补充验收报告",
        organisation=link.organisation,
        due_date=datetime.date(2026, 6, 30),
        created_by=subject.round.opened_by,
    )


def _replication(case, number: int = 0) -> Replication:
    return Replication.objects.create(
        case=case,
        adopter=OrganisationFactory(name=f"宁波推广应用单位{number}"),
        kind=ReplicationKind.ADOPTION,
        description="在本单位园区推广应用",
        recorded_by=UserFactory(),
    )


def _period(number: int = 0) -> TolerancePeriod:
    period = TolerancePeriod.objects.create(
        scenario=forward_scenario(),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        original_ends_on=datetime.date(2026, 12, 31),
        created_by=operator_user(),
    )
    ToleranceCheckpoint.objects.create(period=period, title=f"中期评估{number}", due_on=datetime.date(2026, 6, 30))
    ToleranceIncident.objects.create(
        period=period, occurred_on=datetime.date(2026, 3, 1), description="试运行中断", recorded_by=period.created_by
    )
    ToleranceExtension.objects.create(
        period=period, requested_until=datetime.date(2027, 6, 30), reason="设备到货延迟", requested_by=period.created_by
    )
    return period


@pytest.fixture
def records():
    """One record of every registered evaluation model, with what its page shows under it."""
    round_, subject, team = make_round(experts=3)
    sheet = submit_sheet(subject, team[0], "7.5")
    case = approved_case()
    return {
        Framework: round_.framework,
        EvaluationRound: round_,
        Subject: subject,
        EvaluationSheet: sheet,
        Finding: _finding(subject),
        CaseNominationRule: CaseNominationRule.objects.create(min_total=Decimal("88"), created_by=round_.opened_by),
        TypicalCase: case,
        Replication: _replication(case),
        TolerancePeriod: _period(),
    }


def test_every_evaluation_model_an_operator_works_with_is_registered():
    registered = set(admin.site._registry)
    assert set(EVALUATION_MODELS) <= registered
    assert IndicatorScore not in registered  # no points: see evaluation.admin's docstring


@pytest.mark.parametrize("model", EVALUATION_MODELS, ids=lambda model: model.__name__)
def test_the_system_administrator_reads_each_evaluation_record_and_cannot_add_change_or_delete_it(
    client, records, model
):
    client.force_login(system_administrator())
    assert_read_only(client, records[model])


def test_the_pages_show_what_is_under_a_record(client, records):
    client.force_login(system_administrator())
    framework = client.get(admin_url(Framework, "change", records[Framework].pk)).content.decode()
    assert "实施管理" in framework and "优" in framework  # indicators and grade bands
    period = client.get(admin_url(TolerancePeriod, "change", records[TolerancePeriod].pk)).content.decode()
    assert "中期评估0" in period and "试运行中断" in period and "设备到货延迟" in period
    case = client.get(admin_url(TypicalCase, "change", records[TypicalCase].pk)).content.decode()
    assert "宁波推广应用单位0" in case


def test_a_subject_shows_its_sheets_with_their_state_and_without_points(client, records):
    subject, sheet = records[Subject], records[EvaluationSheet]
    client.force_login(system_administrator())
    page = client.get(admin_url(Subject, "change", subject.pk)).content.decode()
    assert sheet.expert.display_name in page and "已提交" in page
    assert ">7.5<" not in page and "得分" not in page and "评语" not in page
    sheet_page = client.get(admin_url(EvaluationSheet, "change", sheet.pk)).content.decode()
    assert "已提交" in sheet_page and ">7.5<" not in sheet_page and "得分" not in sheet_page


def test_the_evaluation_changelists_take_the_same_queries_for_one_row_as_for_many(client, records):
    client.force_login(system_administrator())
    counts = {model: changelist_queries(client, model) for model in EVALUATION_MODELS}
    round_, subject, team = make_round(experts=2)
    for number in range(3):
        other = factories.subject(
            round_, title=f"评价对象{number}", organisations=[(OrganisationFactory(), SubjectRole.SUPPLIER)]
        )
        submit_sheet(other, team[number % 2], "8")
        _finding(subject, number)
        case = approved_case()
        _replication(case, number)
        _period(number + 1)
        CaseNominationRule.objects.create(min_total=Decimal("80") + number)
    factories.framework(published=False)
    EvaluationSheet.objects.create(subject=subject, expert=team[1], status=SheetStatus.DRAFT)
    assert {model: changelist_queries(client, model) for model in EVALUATION_MODELS} == counts


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(operator_user, id="operator"),
        pytest.param(lambda: factories.expert(), id="expert"),
        pytest.param(company_user, id="company"),
        pytest.param(lambda: UserFactory(roles=["auditor"]), id="auditor"),
    ],
)
def test_nobody_but_the_system_administrator_opens_the_evaluation_admin(client, records, make_user):
    client.force_login(make_user())
    for model in (Framework, EvaluationRound, EvaluationSheet, TypicalCase, TolerancePeriod):
        for url in (admin_url(model, "changelist"), admin_url(model, "change", records[model].pk)):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith("/admin/login/"), url
