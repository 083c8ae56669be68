"""The operators' findings tracker, an organisation's 整改清单 and a finding's page; the menu items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from tests.evaluation.conftest_results import add_subject, make_round
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user

pytestmark = pytest.mark.django_db


def today():
    """The portal's date now, not at import: a run that crosses midnight in Asia/Shanghai (16:00 UTC) would
    otherwise hold yesterday."""
    return timezone.localdate()


def _finding(operator, subject, **overrides):
    values = {
        "severity": "general",
        "description": "佐证材料不完整",
        "recommendation": "补充验收报告",
        "organisation": subject.subject_organisations.get(role="supplier").organisation,
        "due_date": today() + datetime.timedelta(days=10),
        **overrides,
    }
    return services.finding_create(actor=operator, subject=subject, **values)


@pytest.fixture
def findings_setting():
    round_, subject, team = make_round(experts=1)
    operator = operator_user()
    organisation = subject.subject_organisations.get(role="supplier").organisation
    rectifier = UserFactory(organisation=organisation, roles=["company"])
    return round_, subject, team, operator, rectifier


def test_tracker_filters_counts_and_a_fixed_query_count(client, django_assert_num_queries, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    first = _finding(operator, subject, severity="serious")
    services.finding_submit(actor=rectifier, finding=first, rectification="已整改")
    for index in range(4):
        other = add_subject(round_, f"对象{index}")
        _finding(operator, other, organisation=other.subject_organisations.get().organisation)
    client.force_login(operator)
    url = reverse("evaluation:findings")
    client.get(url)
    # session, user (with roles and unread count); the filter's organisation and round choices; counts by
    # status; the page's count and rows.
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count('data-testid="finding-row"') == 5
    assert "待整改 <strong>4</strong>" in page and "待核实 <strong>1</strong>" in page
    page = client.get(url, {"status": "submitted", "severity": "serious"}).content.decode()
    assert page.count('data-testid="finding-row"') == 1
    assert client.get(url, {"overdue": "true"}).content.decode().count('data-testid="finding-row"') == 0


def test_tracker_is_for_operators_only(client, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    client.force_login(rectifier)
    assert client.get(reverse("evaluation:findings")).status_code == 404


def test_rectification_list_shows_only_the_organisations_findings(client, django_assert_num_queries, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    own = _finding(operator, subject)
    other = add_subject(round_, "别家对象")
    _finding(operator, other, organisation=other.subject_organisations.get().organisation)
    client.force_login(rectifier)
    url = reverse("evaluation:rectification")
    client.get(url)
    # session, user (with roles and unread count); the page's count and rows (the menu's 整改清单 item from
    # the cache).
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert page.count('data-testid="finding-row"') == 1 and reverse("evaluation:finding", args=[own.pk]) in page
    assert '<a href="/evaluation/rectification/" aria-current="page">整改清单</a>' in page


def test_a_member_without_a_working_role_has_no_rectification_list(client, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    _finding(operator, subject)
    bare = UserFactory(organisation=rectifier.organisation, roles=[])
    client.force_login(bare)
    assert client.get(reverse("evaluation:rectification")).status_code == 404
    assert "整改清单" not in client.get(reverse("core:notifications")).content.decode()


def test_the_organisation_submits_and_the_operator_verifies_on_the_finding_page(client, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    finding = _finding(operator, subject)
    url = reverse("evaluation:finding", args=[finding.pk])
    client.force_login(rectifier)
    client.post(url, {"action": "submit", "text": "已补充验收报告"})
    finding.refresh_from_db()
    assert finding.status == "submitted"
    refused = client.post(url, {"action": "verify"})
    assert refused.status_code == 400 and "只有运营管理人员" in refused.content.decode()
    finding.refresh_from_db()
    assert finding.status == "submitted"  # refused: not an operator
    client.force_login(operator)
    client.post(url, {"action": "verify"})
    page = client.get(url).content.decode()
    assert 'data-testid="finding-status">已核实<' in page and "提交核实" in page and "核实通过" in page


def test_a_foreign_finding_is_not_found(client, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    other = add_subject(round_, "别家对象")
    foreign = _finding(operator, other, organisation=other.subject_organisations.get().organisation)
    client.force_login(rectifier)
    assert client.get(reverse("evaluation:finding", args=[foreign.pk])).status_code == 404
    url = reverse("evaluation:finding", args=[foreign.pk])
    assert client.post(url, {"action": "submit", "text": "x"}).status_code == 404
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("evaluation:finding", args=[foreign.pk])).status_code == 404


def test_the_finding_page_leads_back_to_each_persons_list(client, findings_setting):
    round_, subject, team, operator, rectifier = findings_setting
    url = reverse("evaluation:finding", args=[_finding(operator, subject).pk])
    client.force_login(rectifier)
    page = client.get(url).content.decode()
    assert f'<a href="{reverse("evaluation:rectification")}">← 整改清单</a>' in page
    assert 'aria-current="page">整改清单<' in page  # the menu marks where the finding belongs
    client.force_login(operator)
    assert f'<a href="{reverse("evaluation:findings")}">← 问题清单</a>' in client.get(url).content.decode()
