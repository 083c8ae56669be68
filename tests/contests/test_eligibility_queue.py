"""The operators' 资格审查 queue: search, filters, paging at a fixed query count, and the decision
taken on the entry's own page, which leads back to the queue as the operator left it."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.models import District
from contests import services
from contests.models import ContestEntry
from tests.contests.conftest import move_to
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submitted(challenge, company_name, title, district=None):
    move_to(challenge.contest, "registration")
    organisation = OrganisationFactory(name=company_name, **({"district": district} if district else {}))
    company = UserFactory(organisation=organisation, roles=["company"])
    entry = services.entry_create(actor=company, challenge=challenge, title=title, summary="基于成熟产品定制集成。")
    entry = services.entry_submit(actor=company, entry=entry, commitment_accepted=True)
    move_to(challenge.contest, "eligibility")
    return entry


@pytest.fixture
def queue(challenge):
    haishu = District.objects.get_or_create(code="haishu", defaults={"name": "海曙区", "name_en": "Haishu"})[0]
    return {
        "parking": _submitted(challenge, "宁波甬视智能科技有限公司", "视觉车位检测方案"),
        "lidar": _submitted(challenge, "宁波激光雷达有限公司", "激光雷达泊车方案", district=haishu),
        "pay": _submitted(challenge, "宁波云付科技有限公司", "无感支付方案"),
    }


def _rows(response) -> str:
    table = response.content.decode().split('data-testid="eligibility-queue"')[1]
    return table.split("<tbody>")[1].split("</tbody>")[0]


def test_queue_is_for_operators_only(client, queue):
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("contests:eligibility-queue")).status_code == 404
    entry = queue["pay"]
    response = client.post(reverse("contests:entry-eligibility", args=[entry.pk]), {"decision": "eligible"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_queue_searches_by_entry_company_or_challenge(client, queue, contest_operator):
    client.force_login(contest_operator)
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"q": "激光雷达"}))
    assert "激光雷达泊车方案" in rows and "无感支付方案" not in rows
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"q": "云付"}))
    assert "无感支付方案" in rows and "视觉车位检测方案" not in rows
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"q": "智慧停车"}))  # the challenge's title
    assert rows.count("<tr>") == 3


def test_queue_filters_by_district_status_and_contest(client, queue, contest_operator, make_contest):
    services.entry_review_eligibility(actor=contest_operator, entry=queue["pay"], eligible=True)
    client.force_login(contest_operator)
    rows = _rows(client.get(reverse("contests:eligibility-queue")))  # waiting for a decision by default
    assert "无感支付方案" not in rows and rows.count("<tr>") == 2
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"status": "eligible"}))
    assert "无感支付方案" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"status": "", "district": "haishu"}))
    assert "激光雷达泊车方案" in rows and rows.count("<tr>") == 1
    other = make_contest("eligibility", name="另一场大赛")
    rows = _rows(client.get(reverse("contests:eligibility-queue"), {"status": "", "contest": other.pk}))
    assert "没有符合条件的揭榜方案" in rows


def test_queue_pages_at_a_fixed_number_of_queries(client, queue, contest_operator, django_assert_num_queries):
    client.force_login(contest_operator)
    # session, user (with roles and unread count); the contest and district choices of the filter form; count and
    # page of entries (with challenge, contest, scenario, lead and district joined).
    with django_assert_num_queries(6):
        small = client.get(reverse("contests:eligibility-queue"))
    challenge = queue["parking"].challenge
    for number in range(6):
        _submitted(challenge, f"宁波加测企业{number}有限公司", f"加测方案{number}")
    with django_assert_num_queries(6):
        large = client.get(reverse("contests:eligibility-queue"))
    assert _rows(small).count("<tr>") == 3 and _rows(large).count("<tr>") == 9


def test_decision_on_the_entry_page_returns_to_the_queue_as_it_was(client, queue, contest_operator):
    client.force_login(contest_operator)
    queue_url = reverse("contests:eligibility-queue") + "?q=%E6%BF%80%E5%85%89&status=submitted"
    listing = client.get(queue_url).content.decode()
    entry = queue["lidar"]
    link = f"{reverse('contests:entry-detail', args=[entry.pk])}?back={quote(queue_url, safe='/')}"
    assert link in listing
    page = client.get(link).content.decode()
    assert 'name="back"' in page and reverse("contests:entry-eligibility", args=[entry.pk]) in page
    response = client.post(
        reverse("contests:entry-eligibility", args=[entry.pk]), {"decision": "eligible", "back": queue_url}
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    entry.refresh_from_db()
    assert entry.status == "eligible"


def test_a_refused_decision_stays_on_the_entry_page_and_another_site_is_never_followed(client, queue, contest_operator):
    client.force_login(contest_operator)
    entry = queue["pay"]
    response = client.post(
        reverse("contests:entry-eligibility", args=[entry.pk]),
        {"decision": "ineligible", "reason": "", "back": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contests:entry-detail", args=[entry.pk])
    assert ContestEntry.objects.get(pk=entry.pk).status == "submitted"
    response = client.post(
        reverse("contests:entry-eligibility", args=[entry.pk]),
        {"decision": "eligible", "back": "//evil.example/"},
    )
    assert response["Location"] == reverse("contests:entry-detail", args=[entry.pk])
