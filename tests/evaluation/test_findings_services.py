"""问题清单: a finding's state machine, who may act on it, and the overdue reminder sent once."""

import datetime

import pytest
from django.utils import timezone

from accounts.selectors import operators_active
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from evaluation import services
from evaluation.models import Finding
from tests.evaluation.conftest_results import add_subject, leaf, make_round, subject_user
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

pytestmark = pytest.mark.django_db


def today():
    """The portal's date now, not at import: a run that crosses midnight in Asia/Shanghai (16:00 UTC) would
    otherwise hold yesterday."""
    return timezone.localdate()


def _organisation(subject):
    return subject.subject_organisations.get(role="supplier").organisation


def _create(actor, subject, **overrides):
    values = {
        "severity": "general",
        "description": "佐证材料不完整",
        "recommendation": "补充验收报告",
        "organisation": _organisation(subject),
        "due_date": today() + datetime.timedelta(days=30),
        **overrides,
    }
    return services.finding_create(actor=actor, subject=subject, **values)


@pytest.fixture
def setting():
    round_, subject, team = make_round(experts=3)
    organisation = _organisation(subject)
    rectifier = UserFactory(organisation=organisation, roles=["company"])
    return round_, subject, team, operator_user(), rectifier


def test_a_finding_goes_from_open_to_verified_with_a_return_on_the_way(setting):
    round_, subject, team, operator, rectifier = setting
    finding = _create(operator, subject, indicator=leaf(round_, "3.1"))
    assert finding.status == "open"
    assert Notification.objects.filter(recipient=rectifier, title__contains="评估问题待整改").exists()

    services.finding_progress(actor=rectifier, finding=finding, note="已联系验收单位")
    finding.refresh_from_db()
    assert (finding.status, finding.rectification) == ("in_progress", "已联系验收单位")

    services.finding_submit(actor=rectifier, finding=finding, rectification="已补充验收报告")
    finding.refresh_from_db()
    assert finding.status == "submitted" and finding.rectified_at is not None
    assert Notification.objects.filter(recipient=operator, title__contains="待核实").exists()

    services.finding_return(actor=operator, finding=finding, reason="报告缺盖章")
    finding.refresh_from_db()
    assert finding.status == "in_progress"
    assert Notification.objects.filter(recipient=rectifier, body__contains="报告缺盖章").exists()

    services.finding_submit(actor=rectifier, finding=finding, rectification="已补充盖章版")
    services.finding_verify(actor=operator, finding=finding)
    finding.refresh_from_db()
    assert finding.status == "verified" and finding.verified_by == operator
    assert list(
        AuditRecord.objects.filter(object_type="evaluation.finding", object_id=str(finding.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "evaluation.finding_create",
        "evaluation.finding_progress",
        "evaluation.finding_submit",
        "evaluation.finding_return",
        "evaluation.finding_submit",
        "evaluation.finding_verify",
    ]


def test_the_round_lead_may_record_a_finding_but_another_expert_may_not(setting):
    round_, subject, team, operator, rectifier = setting
    assert _create(team[0], subject).created_by == team[0]
    with pytest.raises(PermissionDenied):
        _create(team[1], subject)
    with pytest.raises(PermissionDenied):
        _create(rectifier, subject)


def test_a_finding_needs_one_of_the_subjects_organisations_and_a_due_date_not_in_the_past(setting):
    round_, subject, team, operator, rectifier = setting
    with pytest.raises(DomainError, match="整改单位须为该评价对象的单位之一"):
        _create(operator, subject, organisation=OrganisationFactory())
    with pytest.raises(DomainError, match="不能早于今天"):
        _create(operator, subject, due_date=today() - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="问题描述"):
        _create(operator, subject, description="  ")
    other = add_subject(round_, "另一个评价对象")
    with pytest.raises(DomainError, match="整改单位须为该评价对象的单位之一"):
        services.finding_create(
            actor=operator,
            subject=other,
            severity="minor",
            description="x",
            recommendation="y",
            organisation=_organisation(subject),
            due_date=today(),
        )
    assert not Finding.objects.exists()


def test_only_people_of_the_organisation_with_a_working_role_rectify(setting):
    round_, subject, team, operator, rectifier = setting
    finding = _create(operator, subject)
    bare_member = UserFactory(organisation=finding.organisation, roles=[])
    stranger = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    publisher = subject_user(subject)  # the publisher SOE is not the organisation named on the finding
    for person in (bare_member, stranger, publisher, operator):
        with pytest.raises(PermissionDenied):
            services.finding_submit(actor=person, finding=finding, rectification="已整改")
    finding.refresh_from_db()
    assert finding.status == "open"


def test_verify_and_return_are_for_operators_and_only_a_submitted_finding(setting):
    round_, subject, team, operator, rectifier = setting
    finding = _create(operator, subject)
    with pytest.raises(DomainError, match="待核实"):
        services.finding_verify(actor=operator, finding=finding)
    services.finding_submit(actor=rectifier, finding=finding, rectification="已整改")
    with pytest.raises(PermissionDenied):
        services.finding_verify(actor=rectifier, finding=finding)
    with pytest.raises(DomainError, match="退回原因"):
        services.finding_return(actor=operator, finding=finding, reason="")
    with pytest.raises(DomainError, match="不能重复提交"):
        services.finding_submit(actor=rectifier, finding=finding, rectification="再次提交")
    services.finding_verify(actor=operator, finding=finding)
    with pytest.raises(DomainError):
        services.finding_progress(actor=rectifier, finding=finding, note="还想改")


def test_overdue_finding_notifies_the_organisation_and_operators_once_per_spell(setting):
    round_, subject, team, operator, rectifier = setting
    finding = _create(operator, subject, due_date=today())
    verified = _create(operator, subject, due_date=today())
    services.finding_submit(actor=rectifier, finding=verified, rectification="已整改")
    services.finding_verify(actor=operator, finding=verified)
    Notification.objects.all().delete()

    assert services.findings_notify_overdue(today=today()) == 0  # due today is not overdue yet
    tomorrow = today() + datetime.timedelta(days=1)
    assert services.findings_notify_overdue(today=tomorrow) == 1
    assert services.findings_notify_overdue(today=tomorrow) == 0
    assert services.findings_notify_overdue(today=tomorrow + datetime.timedelta(days=1)) == 0
    overdue = Notification.objects.filter(title__contains="已逾期")
    operators = set(operators_active().values_list("pk", flat=True))
    assert operator.pk in operators
    assert sorted(overdue.values_list("recipient_id", flat=True)) == sorted({rectifier.pk, *operators})
    finding.refresh_from_db()
    assert finding.overdue_notified_on == tomorrow

    # A new due date that passes again starts a new spell: one more reminder.
    Finding.objects.filter(pk=finding.pk).update(due_date=tomorrow + datetime.timedelta(days=2))
    assert services.findings_notify_overdue(today=tomorrow + datetime.timedelta(days=3)) == 1
    assert overdue.filter(recipient=rectifier).count() == 2


def test_the_overdue_task_is_scheduled_daily(settings):
    from evaluation.tasks import findings_notify_overdue_task

    entry = settings.CELERY_BEAT_SCHEDULE["evaluation-findings-overdue"]
    assert entry["task"] == findings_notify_overdue_task.name == "evaluation.findings_notify_overdue"
