"""The 包容期 register: opening, checkpoints, incidents and 容错 decisions, extensions, the end,
the 免责 rule, and the reminders sent once."""

import datetime
from decimal import Decimal

import pytest

from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import selectors, services
from evaluation.choices import ExtensionStatus, ToleranceDecision, ToleranceStatus
from evaluation.models import ToleranceCheckpoint, TolerancePeriod
from tests.evaluation import conftest_cases as fixtures  # noqa: E402
from tests.evaluation.conftest_cases import company_user, forward_scenario, open_period  # noqa: E402
from tests.factories.accounts import UserFactory
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator
D = datetime.date


def travel_to(monkeypatch, day):
    """Today is `day` for the services (django.utils.timezone.localdate)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)


@pytest.fixture
def june(monkeypatch):
    travel_to(monkeypatch, D(2026, 6, 1))


@pytest.fixture
def period(operator):
    return open_period(operator)


@pytest.fixture
def publisher(period):
    return publisher_user(organisation=period.scenario.publisher)


# ---- opening ---------------------------------------------------------------------------------


def test_an_operator_opens_a_period_with_the_scenarios_dates(operator):
    scenario = forward_scenario()
    period = services.tolerance_period_open(actor=operator, scenario=scenario)
    assert (period.starts_on, period.ends_on, period.original_ends_on) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
        D(2026, 12, 31),
    )
    assert period.status == ToleranceStatus.ACTIVE
    assert AuditRecord.objects.filter(action="evaluation.tolerance.open", object_id=str(period.pk)).exists()


def test_a_mature_scenario_one_without_dates_or_a_second_period_is_refused(operator, period):
    with pytest.raises(DomainError, match="前瞻性"):
        services.tolerance_period_open(actor=operator, scenario=ScenarioFactory(track="mature"))
    with pytest.raises(DomainError, match="日期"):
        services.tolerance_period_open(
            actor=operator, scenario=forward_scenario(tolerance_start=None, tolerance_end=None)
        )
    with pytest.raises(DomainError, match="已登记"):
        services.tolerance_period_open(actor=operator, scenario=period.scenario)
    assert TolerancePeriod.objects.count() == 1


def test_only_operators_open_a_period():
    scenario = forward_scenario()
    with pytest.raises(PermissionDenied):
        services.tolerance_period_open(actor=publisher_user(organisation=scenario.publisher), scenario=scenario)


# ---- checkpoints and incidents --------------------------------------------------------------


@pytest.mark.usefixtures("june")
def test_the_publisher_adds_and_completes_a_checkpoint(period, publisher):
    checkpoint = services.checkpoint_add(actor=publisher, period=period, title="中试验证", due_on=D(2026, 7, 1))
    with pytest.raises(DomainError, match="包容期内"):
        services.checkpoint_add(actor=publisher, period=period, title="超期", due_on=D(2027, 7, 1))
    services.checkpoint_complete(actor=publisher, checkpoint=checkpoint, done_on=D(2026, 5, 30), note="通过")
    checkpoint.refresh_from_db()
    assert checkpoint.done_on == D(2026, 5, 30)
    with pytest.raises(DomainError):
        services.checkpoint_complete(actor=publisher, checkpoint=checkpoint, done_on=D(2026, 5, 31))


def test_a_member_without_the_publisher_role_or_another_publisher_is_refused(period):
    for user in (
        UserFactory(organisation=period.scenario.publisher, roles=["judge"]),
        publisher_user(),
        company_user(),
    ):
        with pytest.raises(PermissionDenied):
            services.checkpoint_add(actor=user, period=period, title="节点", due_on=D(2026, 7, 1))


@pytest.mark.usefixtures("june")
def test_an_incident_must_fall_inside_the_period(period, publisher):
    with pytest.raises(DomainError, match="包容期"):
        services.incident_record(actor=publisher, period=period, occurred_on=D(2025, 12, 31), description="试运行失败")
    incident = services.incident_record(
        actor=publisher, period=period, occurred_on=D(2026, 1, 1), description="试运行失败"
    )
    assert incident.decision == ""


@pytest.mark.usefixtures("june")
def test_a_decision_needs_a_basis_and_a_revision_a_reason(operator, period, publisher):
    incident = services.incident_record(
        actor=publisher, period=period, occurred_on=D(2026, 3, 1), description="样机损坏"
    )
    with pytest.raises(DomainError, match="依据"):
        services.incident_decide(actor=operator, incident=incident, decision=ToleranceDecision.EXEMPT, basis="")
    with pytest.raises(PermissionDenied):
        services.incident_decide(actor=publisher, incident=incident, decision=ToleranceDecision.EXEMPT, basis="x")
    services.incident_decide(
        actor=operator, incident=incident, decision=ToleranceDecision.EXEMPT, basis="已履行勤勉义务"
    )
    with pytest.raises(DomainError, match="理由"):
        services.incident_decide(actor=operator, incident=incident, decision=ToleranceDecision.REDUCED, basis="复核")
    services.incident_decide(
        actor=operator, incident=incident, decision=ToleranceDecision.REDUCED, basis="复核", reason="发现操作失误"
    )
    incident.refresh_from_db()
    assert incident.decision == ToleranceDecision.REDUCED
    revision = AuditRecord.objects.get(action="evaluation.tolerance.incident_revise")
    assert revision.before["decision"] == "exempt" and revision.reason == "发现操作失误"
    assert Notification.objects.filter(recipient=publisher, title__contains="减责").exists()


# ---- the 免责 rule --------------------------------------------------------------------------


@pytest.mark.usefixtures("june")
def test_exempt_is_not_held_reduced_counts_half_the_rest_fully(operator, period, publisher):
    def incident(decision, day):
        item = services.incident_record(
            actor=publisher, period=period, occurred_on=D(2026, 2, day), description=f"事件{day}"
        )
        if decision:
            services.incident_decide(actor=operator, incident=item, decision=decision, basis="依据")
        return item

    incident(ToleranceDecision.EXEMPT, 1)
    reduced = incident(ToleranceDecision.REDUCED, 2)
    refused = incident(ToleranceDecision.NOT_TOLERATED, 3)
    undecided = incident("", 4)
    other = open_period(operator)  # another scenario's incidents are not read
    services.incident_record(actor=operator, period=other, occurred_on=D(2026, 2, 5), description="他人事件")
    held = selectors.incidents_held_against([period.scenario_id])
    assert {item.pk: item.held_weight for item in held} == {
        reduced.pk: Decimal("0.5"),
        refused.pk: Decimal("1"),
        undecided.pk: Decimal("1"),
    }
    assert sum(item.held_weight for item in held) == Decimal("2.5")


# ---- extensions and the end ------------------------------------------------------------------


def test_an_approved_extension_moves_the_end_and_resets_the_reminder(operator, period, publisher):
    TolerancePeriod.objects.filter(pk=period.pk).update(end_reminded_on=D(2026, 12, 1))
    with pytest.raises(DomainError, match="晚于"):
        services.extension_request(actor=publisher, period=period, requested_until=D(2026, 12, 31), reason="延期")
    with pytest.raises(PermissionDenied):
        services.extension_request(actor=operator, period=period, requested_until=D(2027, 6, 30), reason="延期")
    extension = services.extension_request(
        actor=publisher, period=period, requested_until=D(2027, 6, 30), reason="试验样本不足"
    )
    with pytest.raises(DomainError, match="待审批"):
        services.extension_request(actor=publisher, period=period, requested_until=D(2027, 3, 1), reason="再申请")
    services.extension_decide(actor=operator, extension=extension, approve=True)
    period.refresh_from_db()
    assert (period.ends_on, period.original_ends_on, period.status) == (D(2027, 6, 30), D(2026, 12, 31), "extended")
    assert period.end_reminded_on is None


def test_a_declined_extension_needs_a_reason_and_changes_nothing(operator, period, publisher):
    extension = services.extension_request(
        actor=publisher, period=period, requested_until=D(2027, 6, 30), reason="延期"
    )
    with pytest.raises(DomainError):
        services.extension_decide(actor=operator, extension=extension, approve=False)
    services.extension_decide(actor=operator, extension=extension, approve=False, reason="理由不充分")
    period.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.DECLINED and period.ends_on == D(2026, 12, 31)
    assert period.status == ToleranceStatus.ACTIVE


@pytest.mark.usefixtures("june")
def test_ending_early_needs_a_reason_and_a_normal_end_waits_for_the_date(operator, period, publisher):
    with pytest.raises(DomainError, match="提前终止"):
        services.tolerance_period_end(actor=operator, period=period, early=False)
    with pytest.raises(DomainError, match="理由"):
        services.tolerance_period_end(actor=operator, period=period, early=True)
    services.tolerance_period_end(actor=operator, period=period, early=True, reason="技术路线不可行")
    period.refresh_from_db()
    assert (period.status, period.ended_on) == (ToleranceStatus.ENDED_EARLY, D(2026, 6, 1))
    with pytest.raises(DomainError, match="已结束"):
        services.extension_request(actor=publisher, period=period, requested_until=D(2027, 6, 30), reason="延期")


def test_a_period_ends_normally_on_its_date(operator, period, monkeypatch):
    travel_to(monkeypatch, D(2027, 1, 2))
    services.tolerance_period_end(actor=operator, period=period, early=False)
    period.refresh_from_db()
    assert (period.status, period.ended_on) == (ToleranceStatus.ENDED, D(2026, 12, 31))


# ---- reminders -------------------------------------------------------------------------------


def test_reminders_are_sent_once_and_again_after_an_extension(operator, period, publisher):
    ToleranceCheckpoint.objects.create(period=period, title="中试验证", due_on=D(2026, 12, 7))
    ToleranceCheckpoint.objects.create(period=period, title="远期节点", due_on=D(2026, 12, 20))
    ToleranceCheckpoint.objects.create(period=period, title="已完成", due_on=D(2026, 12, 5), done_on=D(2026, 11, 30))
    sent = services.tolerance_reminders_send(today=D(2026, 11, 30))
    assert sent == {"checkpoints": 1, "periods": 0}
    sent = services.tolerance_reminders_send(today=D(2026, 12, 1))
    assert sent == {"checkpoints": 0, "periods": 1}
    assert services.tolerance_reminders_send(today=D(2026, 12, 2)) == {"checkpoints": 0, "periods": 0}
    titles = list(Notification.objects.filter(recipient=publisher).values_list("title", flat=True))
    assert sum("中试验证" in title for title in titles) == 1
    assert sum("包容期将于" in title for title in titles) == 1
    assert Notification.objects.filter(recipient=operator, title__contains="中试验证").count() == 1
    extension = services.extension_request(actor=publisher, period=period, requested_until=D(2027, 1, 1), reason="延期")
    services.extension_decide(actor=operator, extension=extension, approve=True)
    assert services.tolerance_reminders_send(today=D(2026, 12, 3)) == {"checkpoints": 0, "periods": 1}


def test_the_beat_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluation-tolerance-reminders"]
    assert entry["task"] == "evaluation.tolerance_reminders"
    from evaluation.tasks import tolerance_reminders

    assert tolerance_reminders.name == "evaluation.tolerance_reminders"
