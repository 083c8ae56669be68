"""The typical-case nomination rule: operators change it on its page (a new rule each time, audited
with a reason, the older ones listed), refusals in Chinese with nothing stored, and the proposal of
cases reads the rule in force."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from evaluation import services
from evaluation.models import CaseNominationRule
from tests.evaluation import conftest_cases as fixtures
from tests.evaluation.conftest_cases import closed_round, company_user, evaluated_subject
from tests.factories import evaluation as factories
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator

VALID = {
    "min_total": Decimal("80"),
    "benefit_dimension": "效益",
    "min_benefit_share": Decimal("0.70"),
    "exclude_red_line": True,
    "reason": "扩大推荐范围",
}


@pytest.fixture(autouse=True)
def _published_framework():
    factories.framework()  # its first tier: 决策, 过程, 产出, 效益


def test_a_change_is_a_new_rule_in_force_audited_with_the_old_values_and_the_reason(operator):
    seeded = services.nomination_rule()  # the default rule the data migration stores
    assert (seeded.min_total, seeded.created_by) == (Decimal("85"), None)
    first = services.nomination_rule_change(actor=operator, **VALID)
    second = services.nomination_rule_change(actor=operator, **VALID | {"min_total": Decimal("82.5"), "reason": "微调"})
    assert services.nomination_rule() == second and CaseNominationRule.objects.count() == 3
    assert (second.min_total, second.min_benefit_share, second.created_by) == (
        Decimal("82.5"),
        Decimal("0.7"),
        operator,
    )
    records = list(AuditRecord.objects.filter(action="evaluation.nomination_rule.change").order_by("id"))
    assert [record.reason for record in records] == ["扩大推荐范围", "微调"]
    assert records[0].before["min_total"] == "85.00" and records[0].after["min_total"] == "80.00"
    assert records[1].before["min_total"] == "80.00" and records[1].object_id == str(second.pk)
    assert first.pk != second.pk


def test_the_proposal_of_cases_reads_the_rule_in_force(operator):
    round_ = closed_round()
    evaluated_subject(round_, total="82.00", benefit="20.00")  # 效益 80 % of 25: meets 0.70, total below 85
    assert services.cases_propose(round=round_) == []
    services.nomination_rule_change(actor=operator, **VALID)
    [case] = services.cases_propose(round=round_)
    assert case.rule["min_total"] == "80.00" and case.rule["min_benefit_share"] == "0.70"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_total": Decimal("100.01")}, "最低总分须为 0 到 100"),
        ({"min_total": Decimal("-1")}, "最低总分须为 0 到 100"),
        ({"min_total": Decimal("NaN")}, "最低总分须为 0 到 100"),
        ({"min_total": Decimal("1e30")}, "最低总分须为 0 到 100"),
        ({"min_total": "八十"}, "最低总分须为 0 到 100"),
        ({"min_total": Decimal("80.005")}, "最多两位小数"),
        ({"min_benefit_share": Decimal("0")}, "1% 到 100%"),
        ({"min_benefit_share": Decimal("1.5")}, "1% 到 100%"),
        ({"min_benefit_share": Decimal("0.755")}, "1% 到 100%"),
        ({"min_benefit_share": Decimal("Infinity")}, "1% 到 100%"),
        ({"benefit_dimension": "  "}, "请填写效益维度"),
        ({"benefit_dimension": "效" * 21}, "请填写效益维度"),
        ({"benefit_dimension": "收益"}, "“收益”不是已发布指标体系的一级指标；可选：产出、决策、效益、过程"),
        ({"reason": " "}, "请填写修改理由"),
        ({"reason": "理" * 501}, "请填写修改理由"),
        ({"min_total": Decimal("85"), "min_benefit_share": Decimal("0.8"), "reason": "无变化"}, "推荐规则没有变化"),
    ],
)
def test_a_bad_rule_is_refused_in_chinese_and_nothing_is_stored(operator, change, message):
    with pytest.raises(DomainError, match=message):
        services.nomination_rule_change(actor=operator, **VALID | change)
    assert CaseNominationRule.objects.count() == 1  # the seeded default only
    assert not AuditRecord.objects.filter(action="evaluation.nomination_rule.change").exists()


@pytest.mark.parametrize(
    "make_user", [company_user, lambda: factories.expert(), lambda: UserFactory(roles=["official"])]
)
def test_only_operators_change_the_rule(make_user):
    with pytest.raises(PermissionDenied):
        services.nomination_rule_change(actor=make_user(), **VALID)
    assert CaseNominationRule.objects.count() == 1  # the seeded default only


def _post(client, **overrides):
    data = {
        "min_total": "80",
        "benefit_dimension": "效益",
        "min_benefit_percent": "70",
        "exclude_red_line": "on",
        "reason": "扩大推荐范围",
    } | overrides
    return client.post(reverse("evaluation:nomination-rule"), data)


def test_the_case_queue_shows_the_rule_in_force_and_links_to_its_page(client, operator):
    client.force_login(operator)
    page = client.get(reverse("evaluation:case-queue")).content.decode()
    assert reverse("evaluation:nomination-rule") in page and "总分 ≥ 85" in page and "效益得分 ≥ 其权重的 80%" in page


def test_an_operator_changes_the_rule_on_its_page_and_sees_the_history(client, operator):
    client.force_login(operator)
    page = client.get(reverse("evaluation:nomination-rule")).content.decode()
    assert "系统默认规则" in page and 'value="85' in page and 'value="80"' in page
    response = _post(client)
    assert response.status_code == 302 and response.url == reverse("evaluation:nomination-rule")
    rule = services.nomination_rule()
    assert (rule.min_total, rule.min_benefit_share, rule.exclude_red_line) == (Decimal("80"), Decimal("0.7"), True)
    page = client.get(response.url).content.decode()
    assert "推荐规则已修改" in page and "总分 ≥ 80.00" in page and "其权重的 70%" in page
    assert "扩大推荐范围" in page and operator.display_name in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"min_total": "101"}, "最低总分须为 0 到 100"),
        ({"min_total": "abc"}, "输入一个数字"),
        ({"min_benefit_percent": "0"}, "1"),
        ({"min_benefit_percent": "NaN"}, "整数"),
        ({"benefit_dimension": "收益"}, "不是已发布指标体系的一级指标"),
        ({"reason": ""}, "该字段是必填项"),
    ],
)
def test_a_bad_rule_on_the_page_is_a_400_with_the_message_and_changes_nothing(client, operator, overrides, message):
    client.force_login(operator)
    response = _post(client, **overrides)
    assert response.status_code == 400 and message in response.content.decode()
    assert CaseNominationRule.objects.count() == 1  # the seeded default only


@pytest.mark.parametrize("rules", [1, 6])
def test_the_rule_page_takes_a_fixed_number_of_queries(client, operator, rules, django_assert_num_queries):
    for number in range(rules):
        services.nomination_rule_change(actor=operator, **VALID | {"min_total": Decimal(70 + number)})
    client.force_login(operator)
    # session, user (with roles and unread messages) (base template); the rule in force; the published
    # frameworks' first-tier names; paginator count; the page of rules with their authors; their
    # audit records' reasons.
    with django_assert_num_queries(7):
        response = client.get(reverse("evaluation:nomination-rule"))
    assert response.content.decode().count("<tr><td>") == rules + 1  # and the seeded default


def test_the_rule_page_is_not_found_for_anyone_but_operators(client):
    for user in (company_user(), factories.expert(), UserFactory(roles=["official"])):
        client.force_login(user)
        assert client.get(reverse("evaluation:nomination-rule")).status_code == 404
        assert _post(client).status_code == 404
    client.logout()
    response = client.get(reverse("evaluation:nomination-rule"))
    assert response.status_code == 302 and "/login" in response.url
    assert CaseNominationRule.objects.count() == 1  # the seeded default only
