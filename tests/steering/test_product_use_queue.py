"""The operators' 入围产品使用 queue: search, paging at a fixed query count, the notification that
names the use, and verification on the use's own page back to the queue as it was."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from steering.models import ProductUse
from tests.steering.assessment_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _rows(response) -> str:
    return response.content.decode().split('data-testid="product-use-queue"')[1].split("</table>")[0]


def test_queue_searches_by_contract_and_organisation(client, world):
    client.force_login(world.operator)
    rows = _rows(client.get(reverse("steering:product-use-queue"), {"q": world.pending.contract_number}))
    assert world.pending.entry.title in rows
    rows = _rows(client.get(reverse("steering:product-use-queue"), {"q": "没有这个单位"}))
    assert "没有待核实的使用记录。" in rows
    rows = _rows(client.get(reverse("steering:product-use-queue"), {"q": world.pending.organisation.name}))
    assert world.pending.contract_number in rows


def test_queue_pages_at_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.operator)
    # session, user (with roles and unread count); the contest choices of the filter form; count and page of
    # uses (entry, lead, contest, organisation, recorder, agreement joined); the tabs' permission reads.
    with django_assert_num_queries(5) as captured:
        client.get(reverse("steering:product-use-queue"))
    baseline = len(captured.captured_queries)
    for number in range(3):
        ProductUse.objects.create(
            entry=world.pending.entry,
            organisation=world.pending.organisation,
            kind=world.pending.kind,
            contract_number=f"NB-TEST-{number}",
            amount=world.pending.amount,
            used_on=world.pending.used_on,
            recorded_by=world.pending.recorded_by,
            status="pending",
        )
    with django_assert_num_queries(baseline):
        response = client.get(reverse("steering:product-use-queue"))
    assert "NB-TEST-2" in _rows(response)


def test_recording_a_use_notifies_operators_with_a_link_to_the_use(world):
    from core.models import Notification
    from steering import services
    from tests.steering.test_assessment_services import record

    use = record(world)
    notification = Notification.objects.get(recipient=world.operator)
    assert notification.link == reverse("steering:product-use-detail", args=[use.pk])
    assert "NBGT-2026-CG-0101" in notification.body_shown and world.entries.e2.title in notification.body_shown
    services.product_use_verify(actor=world.operator, use=use, approve=True)
    told = Notification.objects.get(recipient=world.rail_publisher)
    assert told.title_shown == f"入围产品使用已核实：{world.entries.e2.title}"


def test_verifying_on_the_use_page_returns_to_the_filtered_queue(client, world):
    client.force_login(world.operator)
    queue_url = reverse("steering:product-use-queue") + f"?q={world.pending.contract_number}"
    link = f"{reverse('steering:product-use-detail', args=[world.pending.pk])}?back={quote(queue_url, safe='/')}"
    assert link in client.get(queue_url).content.decode()
    assert 'name="back"' in client.get(link).content.decode()
    response = client.post(
        reverse("steering:product-use-detail", args=[world.pending.pk]),
        {"use": world.pending.pk, "decision": "verify", "back": queue_url},
    )
    assert response.status_code == 302 and response["Location"] == queue_url
    world.pending.refresh_from_db()
    assert world.pending.status == "verified"


def test_a_back_elsewhere_is_not_followed(client, world):
    client.force_login(world.operator)
    response = client.post(
        reverse("steering:product-use-detail", args=[world.pending.pk]),
        {"use": world.pending.pk, "decision": "verify", "back": "https://evil.example/"},
    )
    assert response["Location"] == reverse("steering:product-use-detail", args=[world.pending.pk])
