"""The operators' 能力清单 review queue: search and filters, paging at a fixed query count, the
notification that names the item, and approve / return on the entry's own page."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District
from capability_list import services
from capability_list.models import CapabilityEntry, Credential
from core.models import Notification
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    haishu = District.objects.get(code="haishu")
    association = OrganisationFactory(name="宁波市软件行业协会", kind="association")
    camera = EntryFactory(status="submitted", name="高位视频车位检测终端", company__name="宁波甬视智能科技有限公司")
    camera.search_text = f"{camera.name} {camera.company.name}"
    camera.save()
    lidar = EntryFactory(
        status="submitted", name="激光雷达", company__name="宁波光感科技有限公司", company__district=haishu
    )
    Credential.objects.create(entry=lidar, kind="first_set", certificate_number="SZ-9", level="municipal", year=2024)
    pay = EntryFactory(status="submitted", name="无感支付平台", submitted_via=association)
    EntryFactory(status="draft", name="草稿产品")
    return {"camera": camera, "lidar": lidar, "pay": pay}


def _rows(response) -> str:
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_queue_searches_by_name_and_company(client, operator, waiting):
    client.force_login(operator)
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"q": "甬视"}))
    assert "高位视频车位检测终端" in rows and "激光雷达" not in rows
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"q": "无感"}))
    assert "无感支付平台" in rows and rows.count("<tr>") == 1
    assert "草稿产品" not in _rows(client.get(reverse("capability_list:review-queue")))


def test_queue_filters_by_district_credential_and_association(client, operator, waiting):
    client.force_login(operator)
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"district": "haishu"}))
    assert "激光雷达" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"credential": "first_set"}))
    assert "激光雷达" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"via_association": "true"}))
    assert "无感支付平台" in rows and rows.count("<tr>") == 1
    rows = _rows(client.get(reverse("capability_list:review-queue"), {"via_association": "false"}))
    assert "无感支付平台" not in rows and rows.count("<tr>") == 2


def test_queue_pages_at_a_fixed_number_of_queries(client, operator, waiting, django_assert_num_queries):
    client.force_login(operator)
    # session, user (with roles and unread count); the strategic-area and district choices; count, page,
    # credentials and evidence prefetched; the changes to listed entries.
    with django_assert_num_queries(9):
        client.get(reverse("capability_list:review-queue"))
    for number in range(8):
        EntryFactory(status="submitted", name=f"加测产品{number}")
    with django_assert_num_queries(9):
        response = client.get(reverse("capability_list:review-queue"))
    assert _rows(response).count("<tr>") == 11


def test_a_warm_queue_asks_only_about_the_person_and_shows_each_change_at_once(
    client, operator, waiting, django_assert_num_queries
):
    """The queue's filters, rows and changes are stored for every operator (issue #20: rendering them
    was most of the page's time); a submission, a decision, a new credential or an association's
    import (bulk, no signal) shows on the next visit."""
    from tests.capability_list.test_import import row, workbook_file

    member = UserFactory(
        organisation=OrganisationFactory(kind="association", name="宁波市物联网协会"), roles=["association"]
    )
    client.force_login(operator)
    url = reverse("capability_list:review-queue")
    client.get(url)
    with django_assert_num_queries(2):  # session, user (with roles and unread messages): the rest from the cache
        assert "激光雷达" in _rows(client.get(url))
    EntryFactory(status="submitted", name="新提交的井盖监测终端")
    assert "新提交的井盖监测终端" in _rows(client.get(url))
    decided = client.post(url, {"decision": "approve", "entries": [waiting["lidar"].pk]}, follow=True)
    assert "激光雷达" not in _rows(decided)
    Credential.objects.create(
        entry=waiting["camera"], kind="first_version", certificate_number="ZJ-2025-031", level="city", year=2025
    )
    assert "ZJ-2025-031" in _rows(client.get(url))
    services.import_confirm(
        actor=member,
        batch=services.import_upload(
            actor=member, uploaded=workbook_file([row(**{"技术（产品）名称": "协会导入的产品"})])
        ),
    )
    assert "协会导入的产品" in _rows(client.get(url))


def test_the_queue_joins_only_what_its_rows_show(client, operator, waiting):
    client.force_login(operator)
    with CaptureQueriesContext(connection) as captured:
        rows = _rows(client.get(reverse("capability_list:review-queue")))
    assert "宁波市软件行业协会" in rows and "海曙区" in rows
    (listed,) = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "capability_list_capabilityentry"."id"')
    ]
    # the company and its district, the association, the industry: PostgreSQL planned the seven
    # tables of review_queue() for 10 ms to run them in 1
    assert listed.count(" JOIN ") == 4


def test_submitting_notifies_operators_with_a_link_to_the_entry_itself(operator, waiting):
    entry = EntryFactory(status="draft", name="智能井盖监测")
    services.entry_submit(actor=entry.submitted_by, entry=entry)
    notification = Notification.objects.get(recipient=operator)
    assert notification.link == reverse("capability_list:detail", args=[entry.pk])
    assert notification.title_shown == "能力清单待审核：智能井盖监测"
    assert entry.company.name in notification.body_shown


def test_operator_approves_on_the_entry_page_and_returns_to_the_filtered_queue(client, operator, waiting):
    client.force_login(operator)
    queue_url = reverse("capability_list:review-queue") + "?q=%E6%BF%80%E5%85%89&district=haishu"
    lidar = waiting["lidar"]
    link = f"{reverse('capability_list:detail', args=[lidar.pk])}?back={quote(queue_url, safe='/')}"
    assert link in client.get(queue_url).content.decode()
    page = client.get(link).content.decode()
    assert 'data-testid="entry-review"' in page and 'name="back"' in page
    response = client.post(
        reverse("capability_list:review", args=[lidar.pk]), {"decision": "approve", "back": queue_url}
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    assert CapabilityEntry.objects.get(pk=lidar.pk).status == "listed"


def test_returning_needs_a_reason_and_stays_on_the_entry_page(client, operator, waiting):
    client.force_login(operator)
    camera = waiting["camera"]
    response = client.post(
        reverse("capability_list:review", args=[camera.pk]),
        {"decision": "return", "note": "", "back": "/capabilities/review/"},
        follow=True,
    )
    assert "请填写退回的原因。" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("capability_list:detail", args=[camera.pk]))
    assert CapabilityEntry.objects.get(pk=camera.pk).status == "submitted"
    response = client.post(
        reverse("capability_list:review", args=[camera.pk]), {"decision": "return", "note": "请补充应用案例"}
    )
    assert response["Location"] == reverse("capability_list:review-queue")
    camera.refresh_from_db()
    assert camera.status == "returned" and camera.review_note == "请补充应用案例"


def test_only_operators_review_on_the_entry_page(client, waiting):
    camera = waiting["camera"]
    client.force_login(camera.submitted_by)
    assert (
        'data-testid="entry-review"'
        not in client.get(reverse("capability_list:detail", args=[camera.pk])).content.decode()
    )
    response = client.post(reverse("capability_list:review", args=[camera.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert CapabilityEntry.objects.get(pk=camera.pk).status == "submitted"
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.post(reverse("capability_list:review", args=[camera.pk]), {"decision": "approve"}).status_code == 404
