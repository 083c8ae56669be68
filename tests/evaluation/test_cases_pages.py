"""Typical-case pages: the public list and case page, recording a replication, the operators'
queues, the subject's supplement; permissions and fixed query counts."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.choices import CaseStatus, ReplicationStatus
from evaluation.models import Replication, TypicalCase
from tests.evaluation import conftest_cases as fixtures
from tests.evaluation.conftest_cases import approved_case, closed_round, company_user, evaluated_subject, evidence_pdf
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.scenarios import publisher_user

pytestmark = pytest.mark.django_db
_reference_data = fixtures._reference_data
operator = fixtures.operator


def verified_replication(case, adopter=None):
    return Replication.objects.create(
        case=case,
        adopter=adopter or OrganisationFactory(name="宁波北仑港务有限公司"),
        kind="adoption",
        description="推广应用",
        status=ReplicationStatus.VERIFIED,
        recorded_by=UserFactory(),
        verified_at=fixtures.datetime.datetime(2026, 5, 1, tzinfo=fixtures.datetime.UTC),
    )


def test_anonymous_visitors_see_only_approved_cases(client):
    approved = approved_case()
    proposed = approved_case()
    TypicalCase.objects.filter(pk=proposed.pk).update(status=CaseStatus.PROPOSED)
    page = client.get(reverse("evaluation:case-list")).content.decode()
    assert approved.title in page and proposed.title not in page
    assert client.get(reverse("evaluation:case-detail", args=[proposed.pk])).status_code == 404


def test_the_case_page_shows_scenario_solution_grade_and_verified_replications(client):
    case = approved_case()
    verified_replication(case)
    Replication.objects.create(
        case=case,
        adopter=OrganisationFactory(name="未核实单位"),
        kind="adoption",
        description="x",
        recorded_by=UserFactory(),
    )
    page = client.get(reverse("evaluation:case-detail", args=[case.pk])).content.decode()
    assert reverse("scenarios:detail", args=[case.subject.scenario_id]) in page
    assert "基于视觉识别的集卡智能调度系统" in page and case.supplier.name in page
    assert 'data-testid="case-grade">良<' in page and "86.50" in page
    assert "宁波北仑港务有限公司" in page and "未核实单位" not in page
    assert "登记复制推广" not in page  # anonymous


def test_the_public_list_query_count_does_not_grow_with_cases(client, django_assert_num_queries):
    for _ in range(3):
        verified_replication(approved_case())
    # the domains of the filter form (with their parents); the paginator's count; one page of cases
    # with round, scenario, domain, supplier and the replication count annotated.
    with django_assert_num_queries(3):
        response = client.get(reverse("evaluation:case-list"), {"year": 2026})
    assert response.content.decode().count('data-testid="case-card"') == 3


def test_list_filters_by_level_and_year(client):
    case = approved_case()
    assert case.title in client.get(reverse("evaluation:case-list"), {"level": "enterprise"}).content.decode()
    assert case.title not in client.get(reverse("evaluation:case-list"), {"level": "city"}).content.decode()
    assert case.title not in client.get(reverse("evaluation:case-list"), {"year": 2025}).content.decode()


def test_another_organisations_user_records_an_adoption_from_the_case_page(client):
    case = approved_case()
    adopter = company_user()
    client.force_login(adopter)
    assert "登记复制推广" in client.get(reverse("evaluation:case-detail", args=[case.pk])).content.decode()
    response = client.post(
        reverse("evaluation:case-replicate", args=[case.pk]),
        {"kind": "adoption", "description": "在北仑推广", "evidence": evidence_pdf()},
    )
    assert response.status_code == 302
    replication = Replication.objects.get()
    assert replication.adopter == adopter.organisation and replication.status == ReplicationStatus.PENDING


def test_the_cases_own_organisation_gets_no_replication_form(client):
    case = approved_case()
    client.force_login(publisher_user(organisation=case.subject.scenario.publisher))
    assert "登记复制推广" not in client.get(reverse("evaluation:case-detail", args=[case.pk])).content.decode()
    assert client.get(reverse("evaluation:case-replicate", args=[case.pk])).status_code == 404


def test_a_member_without_a_working_role_gets_no_replication_form(client):
    case = approved_case()
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["judge"]))
    assert client.get(reverse("evaluation:case-replicate", args=[case.pk])).status_code == 404


def test_operators_decide_from_the_queue_with_a_fixed_query_count(client, operator, django_assert_num_queries):
    round_ = closed_round()
    for _ in range(3):
        evaluated_subject(round_)
    cases = services.cases_propose(round=round_)
    client.force_login(operator)
    # session, user (with roles and unread messages) (base template); paginator count, page of cases (round,
    # scenario, supplier); closed rounds for the proposal form; the rounds of the filter form; the
    # nomination rule in force.
    with django_assert_num_queries(7):
        response = client.get(reverse("evaluation:case-queue"))
    assert response.content.decode().count('data-testid="decide-') == 3
    response = client.post(
        reverse("evaluation:case-queue"), {"case": cases[0].pk, "decision": "approve", "reason": "成效显著"}
    )
    assert response.status_code == 302
    cases[0].refresh_from_db()
    assert cases[0].status == CaseStatus.APPROVED


def test_a_decision_without_a_reason_is_refused_on_the_page(client, operator):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(operator)
    response = client.post(
        reverse("evaluation:case-queue"), {"case": case.pk, "decision": "approve", "reason": ""}, follow=True
    )
    assert "请填写审定理由" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_the_queues_are_not_found_for_other_roles(client):
    client.force_login(company_user())
    assert client.get(reverse("evaluation:case-queue")).status_code == 404
    assert client.get(reverse("evaluation:replication-queue")).status_code == 404


def test_the_replication_queue_verifies_with_a_fixed_query_count(client, operator, django_assert_num_queries):
    case = approved_case()
    replications = [
        services.replication_record(
            actor=company_user(), case=case, kind="adoption", description="推广", evidence=evidence_pdf()
        )
        for _ in range(3)
    ]
    client.force_login(operator)
    # session, user (with roles and unread messages) (base template); paginator count, page of replications
    # (case, adopter, scenario, recorder).
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluation:replication-queue"))
    assert response.content.decode().count('data-testid="verify-') == 3
    client.post(reverse("evaluation:replication-queue"), {"replication": replications[0].pk, "decision": "verify"})
    replications[0].refresh_from_db()
    assert replications[0].status == ReplicationStatus.VERIFIED
    assert (
        replications[0].adopter.name in client.get(reverse("evaluation:case-detail", args=[case.pk])).content.decode()
    )


def test_evidence_is_served_to_the_adopter_and_operators_only(client, operator):
    case = approved_case()
    adopter = company_user()
    replication = services.replication_record(
        actor=adopter, case=case, kind="adoption", description="推广", evidence=evidence_pdf()
    )
    url = reverse("evaluation:replication-evidence", args=[replication.pk])
    client.force_login(company_user())
    assert client.get(url).status_code == 404
    client.force_login(adopter)
    assert client.get(url).status_code == 200
    client.force_login(operator)
    assert client.get(url).status_code == 200


def test_the_subject_supplements_a_case_asked_for_more(client, operator):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    member = publisher_user(organisation=case.subject.scenario.publisher)
    client.force_login(member)
    url = reverse("evaluation:case-supplement", args=[case.pk])
    client.post(url, {"title": "改名", "resubmit": "1"})
    case.refresh_from_db()
    assert case.title != "改名"  # not asked for more yet: refused
    services.case_decide(actor=operator, case=case, decision="more_info", reason="请补充成效")
    response = client.post(url, {"title": "港区智能调度", "outcomes": "排队缩短 40%", "resubmit": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.status) == ("港区智能调度", CaseStatus.PROPOSED)


def test_a_stranger_cannot_open_the_supplement_page_of_a_foreign_case(client):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(company_user())
    assert client.get(reverse("evaluation:case-supplement", args=[case.pk])).status_code == 404


def test_the_menu_shows_typical_cases_to_everyone_and_the_evaluation_page_to_operators(client, operator):
    page = client.get(reverse("evaluation:case-list")).content.decode()
    assert "典型案例" in page and reverse("evaluation:hub") not in page
    client.force_login(operator)
    page = client.get(reverse("evaluation:hub")).content.decode()
    assert 'href="/evaluation/" aria-current="page">场景评估' in page
    assert reverse("evaluation:case-queue") in page


def test_the_evaluation_page_counts_what_waits_for_operators_in_fixed_queries(
    client, operator, django_assert_num_queries
):
    client.force_login(operator)
    client.get(reverse("evaluation:hub"))  # warm the session
    # session, user (with roles and unread messages) (menu); rounds, findings, cases, replications,
    # undecided incidents, extension requests (one aggregate each)
    with django_assert_num_queries(8):
        response = client.get(reverse("evaluation:hub"))
    assert response.status_code == 200


def test_the_evaluation_page_is_for_operators_only(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory(roles=["official"]))
    assert client.get(reverse("evaluation:hub")).status_code == 404


def test_the_queue_says_which_case_text_is_missing_before_an_approval(client, operator):
    round_ = closed_round()
    evaluated_subject(round_)
    case = services.cases_propose(round=round_)[0]  # prefilled: title, problem, supplier
    client.force_login(operator)
    page = client.get(reverse("evaluation:case-queue")).content.decode()
    assert "案例页尚缺“解决方案”“应用成效”" in page
    assert f'href="{reverse("evaluation:case-supplement", args=[case.pk])}"' in page
    services.case_edit(actor=operator, case=case, title=case.title, solution="智能调度系统", outcomes="排队缩短 40%")
    page = client.get(reverse("evaluation:case-queue")).content.decode()
    assert f'data-testid="case-incomplete-{case.pk}"' not in page


# ---- the queue's search and filters; the decision on the case's own page -------------------------


def test_case_queue_searches_and_filters_by_round(client, operator):
    first, second = closed_round(), closed_round()
    evaluated_subject(first)
    evaluated_subject(second)
    [mine] = services.cases_propose(round=first)
    [other] = services.cases_propose(round=second)
    client.force_login(operator)
    rows = client.get(reverse("evaluation:case-queue"), {"round": first.pk}).content.decode()
    assert f'data-testid="decide-{mine.pk}"' in rows and f'data-testid="decide-{other.pk}"' not in rows
    rows = client.get(reverse("evaluation:case-queue"), {"q": "没有这样的案例"}).content.decode()
    assert "没有待审定的案例。" in rows
    rows = client.get(reverse("evaluation:case-queue"), {"status": "more_info"}).content.decode()
    assert 'data-testid="decide-' not in rows


def test_proposals_notify_operators_with_the_queue_of_that_round(operator):
    round_ = closed_round()
    evaluated_subject(round_)
    services.cases_propose(round=round_)
    from core.models import Notification

    notification = Notification.objects.get(recipient=operator)
    assert notification.link == f"{reverse('evaluation:case-queue')}?round={round_.pk}"
    assert round_.title in notification.title_shown


def test_operator_decides_on_the_case_page_and_returns_to_the_filtered_queue(client, operator):
    from urllib.parse import quote

    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(operator)
    queue_url = f"{reverse('evaluation:case-queue')}?round={round_.pk}"
    link = f"{reverse('evaluation:case-detail', args=[case.pk])}?back={quote(queue_url, safe='/')}"
    assert link in client.get(queue_url).content.decode()
    page = client.get(link).content.decode()
    assert 'data-testid="case-decide"' in page and 'name="back"' in page
    refused = client.post(
        reverse("evaluation:case-decide", args=[case.pk]), {"decision": "approve", "reason": "", "back": queue_url}
    )
    assert refused["Location"].startswith(reverse("evaluation:case-detail", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED
    response = client.post(
        reverse("evaluation:case-decide", args=[case.pk]),
        {"decision": "approve", "reason": "成效显著", "back": queue_url},
    )
    assert response["Location"] == queue_url
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_only_operators_decide_on_the_case_page(client, company_member):
    round_ = closed_round()
    evaluated_subject(round_)
    [case] = services.cases_propose(round=round_)
    client.force_login(company_member)
    response = client.post(reverse("evaluation:case-decide", args=[case.pk]), {"decision": "approve", "reason": "好"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_replication_queue_searches_and_a_notification_opens_that_cases_replications(client, operator):
    from core.models import Notification

    first, second = approved_case(), approved_case()
    adopter = company_user(organisation=OrganisationFactory(name="宁波北仑港务有限公司"))
    services.replication_record(actor=adopter, case=first, kind="adoption", description="推广", evidence=evidence_pdf())
    services.replication_record(
        actor=company_user(), case=second, kind="adoption", description="推广", evidence=evidence_pdf()
    )
    notification = Notification.objects.filter(recipient=operator).order_by("id").first()
    assert notification.link == f"{reverse('evaluation:replication-queue')}?case={first.pk}"
    assert "宁波北仑港务有限公司" in notification.body_shown
    client.force_login(operator)
    page = client.get(notification.link).content.decode()
    assert page.count('data-testid="verify-') == 1 and "宁波北仑港务有限公司" in page
    page = client.get(reverse("evaluation:replication-queue"), {"q": "北仑港务"}).content.decode()
    assert page.count('data-testid="verify-') == 1
    page = client.get(reverse("evaluation:replication-queue"), {"case": "abc"}).content.decode()
    assert page.count('data-testid="verify-') == 2  # a bad number filters nothing and breaks nothing
