import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from scenarios import services
from scenarios.models import Scenario, ScenarioStatusChange
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher():
    return publisher_user()


def _scenario(publisher, **kwargs):
    return ScenarioFactory(publisher=publisher.organisation, created_by=publisher, **kwargs)


def test_forward_looking_scenario_takes_the_full_path(publisher, operator):
    scenario = _scenario(publisher, track="forward_looking", tolerance_start="2026-01-01", tolerance_end="2027-12-31")
    services.scenario_transition(actor=publisher, scenario=scenario, action="submit")
    scenario = services.scenario_transition(actor=operator, scenario=scenario, action="approve")
    assert scenario.status == "approved" and scenario.published_at is None
    scenario = services.scenario_transition(actor=operator, scenario=scenario, action="publish")
    assert scenario.status == "published" and scenario.published_at is not None
    assert list(ScenarioStatusChange.objects.filter(scenario=scenario).values_list("action", flat=True)) == [
        "submit",
        "approve",
        "publish",
    ]


def test_mature_scenario_is_published_by_its_approval(publisher, operator):
    scenario = _scenario(publisher, track="mature")
    services.scenario_transition(actor=publisher, scenario=scenario, action="submit")
    scenario = services.scenario_transition(actor=operator, scenario=scenario, action="approve", reason="材料齐全")
    assert scenario.status == "published"
    record = AuditRecord.objects.get(action="scenario.approve")
    assert (
        record.before["status"] == "submitted" and record.after["status"] == "published" and record.reason == "材料齐全"
    )


def test_the_whole_life_after_publication(publisher, operator):
    scenario = _scenario(publisher, status="published")
    scenario = services.scenario_enter_contest(actor=operator, scenario=scenario)  # as challenge_create does
    assert scenario.status == "in_contest"
    for actor, action, expected in [
        (publisher, "start_implementation", "in_implementation"),
        (operator, "mark_demonstrated", "demonstrated"),
        (operator, "close", "closed"),
    ]:
        scenario = services.scenario_transition(actor=actor, scenario=scenario, action=action)
        assert scenario.status == expected


def test_submission_tells_what_is_missing(publisher):
    scenario = _scenario(publisher, need_description="", contact_phone="", needs=[])
    with pytest.raises(DomainError) as raised:
        services.scenario_transition(actor=publisher, scenario=scenario, action="submit")
    assert (
        "需求描述" in raised.value.message
        and "联系电话" in raised.value.message
        and "至少一项技术需求" in raised.value.message
    )
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"


def test_forward_looking_needs_a_tolerance_period(publisher):
    scenario = _scenario(publisher, track="forward_looking")
    with pytest.raises(DomainError, match="包容期"):
        services.scenario_transition(actor=publisher, scenario=scenario, action="submit")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "publish"),
        ("published", "submit"),
        ("closed", "reopen"),
        ("submitted", "close"),
        ("rejected", "publish"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(publisher, operator, status, action):
    scenario = _scenario(publisher, status=status)
    actor = publisher if action in ("submit", "reopen") else operator
    with pytest.raises(DomainError) as raised:
        services.scenario_transition(actor=actor, scenario=scenario, action=action)
    assert "场景当前为" in raised.value.message and "不能" in raised.value.message
    assert Scenario.objects.get(pk=scenario.pk).status == status
    assert not ScenarioStatusChange.objects.exists()


def test_rejection_needs_a_reason_and_reaches_the_publishers(publisher, operator):
    colleague = UserFactory(organisation=publisher.organisation, roles=["publisher"])
    scenario = _scenario(publisher, status="submitted")
    with pytest.raises(DomainError, match="请填写退回修改的原因"):
        services.scenario_transition(actor=operator, scenario=scenario, action="reject", reason=" ")
    services.scenario_transition(actor=operator, scenario=scenario, action="reject", reason="请补充技术指标")
    scenario.refresh_from_db()
    assert scenario.status == "rejected" and scenario.status_reason == "请补充技术指标"
    message = Notification.objects.get(recipient=colleague)
    assert "已退回" in message.title and "请补充技术指标" in message.body


def test_submission_tells_the_operators(publisher, operator):
    services.scenario_transition(actor=publisher, scenario=_scenario(publisher), action="submit")
    assert Notification.objects.filter(recipient=operator, title__startswith="新场景待审核").exists()


def test_only_operators_approve_and_only_the_publisher_submits(publisher, operator, company_member):
    scenario = _scenario(publisher)
    with pytest.raises(PermissionDenied):
        services.scenario_transition(actor=operator, scenario=scenario, action="submit")
    other_publisher = publisher_user()
    with pytest.raises(PermissionDenied):
        services.scenario_transition(actor=other_publisher, scenario=scenario, action="submit")
    services.scenario_transition(actor=publisher, scenario=scenario, action="submit")
    with pytest.raises(PermissionDenied):
        services.scenario_transition(actor=publisher, scenario=scenario, action="approve")
    with pytest.raises(PermissionDenied):
        services.scenario_transition(actor=company_member, scenario=scenario, action="approve")


def test_withdrawn_scenario_can_be_reopened_and_resubmitted(publisher, operator):
    scenario = _scenario(publisher, status="published")
    services.scenario_transition(actor=publisher, scenario=scenario, action="withdraw", reason="计划调整")
    scenario = services.scenario_transition(actor=publisher, scenario=scenario, action="reopen")
    assert scenario.status == "draft" and scenario.is_editable


def test_unknown_action_is_refused(publisher):
    with pytest.raises(DomainError, match="未知的操作"):
        services.scenario_transition(actor=publisher, scenario=_scenario(publisher), action="explode")


def test_bulk_review_takes_each_scenario_on_its_own_and_a_refusal_undoes_nothing(operator):
    ready = ScenarioFactory(title="甲", status="submitted")
    taken = ScenarioFactory(title="乙", status="published")  # another operator was quicker
    also_ready = ScenarioFactory(title="丙", status="submitted")
    result = services.scenario_transition_many(actor=operator, scenarios=[ready, taken, also_ready], action="approve")
    assert result.done == 2
    assert result.refused == ["乙：场景当前为“已发布”，不能审核通过。"]
    assert (
        Scenario.objects.get(pk=ready.pk).status == "published"
        and Scenario.objects.get(pk=also_ready.pk).status == "published"
    )
    assert Scenario.objects.get(pk=taken.pk).status == "published"
    assert ScenarioStatusChange.objects.filter(action="approve").count() == 2


def test_bulk_review_by_a_publisher_is_refused_for_each_scenario(publisher):
    scenario = _scenario(publisher, status="submitted")
    result = services.scenario_transition_many(actor=publisher, scenarios=[scenario], action="approve")
    assert result.done == 0 and len(result.refused) == 1 and "您无权" in result.refused[0]
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"


def test_entering_a_contest_is_not_an_action_of_its_own(client, publisher):
    """进入场景大赛 used to be a button that set the status without putting the scenario into any
    contest, after which it could never be put into one. A scenario enters a contest only by
    becoming a challenge of it (contests' challenge_create)."""
    scenario = _scenario(publisher, status="published")
    with pytest.raises(DomainError, match="在场景大赛中发榜"):
        services.scenario_transition(actor=publisher, scenario=scenario, action="enter_contest")
    assert Scenario.objects.get(pk=scenario.pk).status == "published"
    client.force_login(publisher)
    page = client.get(reverse("scenarios:detail", args=[scenario.pk])).content.decode()
    assert "进入场景大赛" not in page
    client.post(reverse("scenarios:transition", args=[scenario.pk]), {"action": "enter_contest"})
    assert Scenario.objects.get(pk=scenario.pk).status == "published"
    assert client.post(f"/api/v1/scenarios/{scenario.pk}/enter-contest/").status_code == 404
