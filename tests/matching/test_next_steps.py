"""推荐供应商: once the publisher accepts a recommended supplier, it takes the next step with it —
an enquiry about the scenario (pre-filled, then sent to the supplier's company) or an invitation
to an upcoming matchmaking event — and the accepted pair shows which step was taken."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capability_list.models import AgendaItem, Enquiry
from capability_list.services import event_create, event_invite_supplier
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from matching import services
from matching.models import MatchFeedback
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.matching import match_for
from tests.factories.scenarios import ScenarioFactory, publisher_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    scenario = ScenarioFactory(status="published", title="鼓楼片区智慧停车改造", needs=["车位检测", "移动支付"])
    supplier = OrganisationFactory(kind="company", name="宁波甬视智能科技有限公司")
    supplier_user = UserFactory(organisation=supplier, roles=["company"])
    entry = EntryFactory(company=supplier, submitted_by=supplier_user, name="高位视频车位检测终端", status="listed")
    return match_for(scenario, entry), scenario.created_by, supplier_user


@pytest.fixture
def event(operator):
    return event_create(
        actor=operator,
        title="智慧城管新技术对接会",
        kind="matchmaking",
        starts_at=timezone.now() + timedelta(days=10),
        venue="宁波市科技大厦 3 楼",
    )


def suppliers_url(match) -> str:
    return reverse("matching:scenario-suppliers", args=[match.scenario_id])


def enquiry_url(match) -> str:
    return reverse("matching:scenario-supplier-enquiry", args=[match.scenario_id, match.pk])


def accept(client, publisher, match):
    client.force_login(publisher)
    response = client.post(suppliers_url(match), {"match": match.pk, "decision": "accepted"}, follow=True)
    assert "已接受。下一步" in response.content.decode()
    return response


def test_after_accepting_the_publisher_sends_a_prefilled_enquiry_and_the_pair_shows_it(client, pair):
    match, publisher, supplier_user = pair
    page = accept(client, publisher, match).content.decode()
    assert f'href="{enquiry_url(match)}"' in page and "邀请参加对接活动" not in page  # no upcoming event

    form = client.get(enquiry_url(match)).content.decode()
    assert "关于“鼓楼片区智慧停车改造”的合作询问" in form
    assert "高位视频车位检测终端" in form and "车位检测、移动支付" in form

    response = client.post(
        enquiry_url(match), {"subject": "关于鼓楼片区停车改造的询问", "question": "请介绍类似项目的实施周期和报价。"}
    )
    assert response.status_code == 302 and response.url.startswith(suppliers_url(match))
    enquiry = Enquiry.objects.get()
    assert (enquiry.company, enquiry.addressee, enquiry.scenario_id, enquiry.asked_by) == (
        publisher.organisation,
        supplier_user.organisation,
        match.scenario_id,
        publisher,
    )
    assert AuditRecord.objects.filter(action="enquiry.ask_supplier", actor=publisher).exists()
    notice = Notification.objects.get(recipient=supplier_user)
    assert notice.title == "发榜方询问：关于鼓楼片区停车改造的询问"
    assert notice.title_message == {
        "text": "发榜方询问：%(subject)s",
        "params": {"subject": "关于鼓楼片区停车改造的询问"},
    }

    page = client.get(suppliers_url(match)).content.decode()
    assert "已发起询问" in page and reverse("capability_list:enquiry-detail", args=[enquiry.pk]) in page
    asked = client.get(reverse("capability_list:enquiries") + "?box=asked").content.decode()
    assert "关于鼓楼片区停车改造的询问" in asked

    # The supplier answers it, as it answers any enquiry addressed to it.
    client.force_login(supplier_user)
    client.post(
        reverse("capability_list:enquiry-detail", args=[enquiry.pk]), {"form": "answer", "answer": "三个月可完成。"}
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "answered"


def test_no_next_step_before_the_publisher_accepts(client, pair, event):
    match, publisher, _supplier = pair
    client.force_login(publisher)
    page = client.get(suppliers_url(match)).content.decode()
    assert enquiry_url(match) not in page and f'data-testid="invite-{match.pk}"' not in page
    for decision in (None, "declined"):
        if decision:
            client.post(suppliers_url(match), {"match": match.pk, "decision": decision, "reason": "budget"})
        response = client.post(enquiry_url(match), {"subject": "询问", "question": "请介绍报价。"})
        assert "请先接受该推荐供应商" in response.content.decode()
        response = client.post(
            suppliers_url(match), {"match": match.pk, "action": "invite", "event": event.pk}, follow=True
        )
        assert "请先接受该推荐供应商" in response.content.decode()
    assert not Enquiry.objects.exists() and not AgendaItem.objects.exists()


def test_only_the_scenarios_publisher_takes_a_next_step(client, pair, operator):
    match, publisher, supplier_user = pair
    MatchFeedback.objects.create(
        scenario=match.scenario, entry=match.entry, side="publisher", decision="accepted", decided_by=publisher
    )
    other_publisher = publisher_user(organisation=OrganisationFactory(kind="soe", name="宁波另一国资集团"))
    for user in (other_publisher, supplier_user, operator):
        client.force_login(user)
        assert client.get(enquiry_url(match)).status_code == 404
        assert client.post(enquiry_url(match), {"subject": "询问", "question": "请报价。"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.match_enquire(actor=operator, match=match, subject="询问", question="请报价。")
    assert not Enquiry.objects.exists()


def test_the_publisher_invites_an_accepted_supplier_to_an_upcoming_event(client, pair, event):
    match, publisher, supplier_user = pair
    accept(client, publisher, match)
    page = client.get(suppliers_url(match)).content.decode()
    assert f'data-testid="invite-{match.pk}"' in page and "智慧城管新技术对接会" in page

    response = client.post(
        suppliers_url(match), {"match": match.pk, "action": "invite", "event": event.pk}, follow=True
    )
    assert "已邀请 宁波甬视智能科技有限公司 参加“智慧城管新技术对接会”" in response.content.decode()
    item = AgendaItem.objects.get()
    assert (item.event, item.scenario_id, item.entry_id) == (event, match.scenario_id, match.entry_id)
    assert AuditRecord.objects.filter(action="event.invite_supplier", actor=publisher).exists()
    invitation = Notification.objects.get(recipient=supplier_user)
    assert invitation.title == "邀请参加对接会：智慧城管新技术对接会"
    assert invitation.title_message["params"]["kind"] == {"text": "对接会", "params": {}}
    assert not Notification.objects.filter(recipient=publisher).exists()

    page = response.content.decode()
    assert "已邀请参加对接活动" in page and reverse("capability_list:event-detail", args=[event.pk]) in page
    # Both sides now see the event, with the pair on its agenda.
    for user in (publisher, supplier_user):
        client.force_login(user)
        assert (
            "高位视频车位检测终端"
            in client.get(reverse("capability_list:event-detail", args=[event.pk])).content.decode()
        )


def test_an_invitation_to_a_past_event_or_twice_is_refused(pair, event, operator):
    match, publisher, _supplier = pair
    past = event_create(
        actor=operator,
        title="往期对接会",
        kind="matchmaking",
        starts_at=timezone.now() - timedelta(days=1),
        venue="会场",
    )
    with pytest.raises(DomainError, match="已开始或已结束"):
        event_invite_supplier(actor=publisher, event=past, scenario=match.scenario, entry=match.entry)
    event_invite_supplier(actor=publisher, event=event, scenario=match.scenario, entry=match.entry)
    with pytest.raises(DomainError, match="已在议程中"):
        event_invite_supplier(actor=publisher, event=event, scenario=match.scenario, entry=match.entry)
    with pytest.raises(PermissionDenied):
        event_invite_supplier(actor=operator, event=event, scenario=match.scenario, entry=match.entry)
    assert AgendaItem.objects.count() == 1


def test_a_past_event_posted_to_the_page_is_not_found(client, pair, operator):
    match, publisher, _supplier = pair
    past = event_create(
        actor=operator,
        title="往期对接会",
        kind="matchmaking",
        starts_at=timezone.now() - timedelta(days=1),
        venue="会场",
    )
    accept(client, publisher, match)
    assert (
        client.post(suppliers_url(match), {"match": match.pk, "action": "invite", "event": past.pk}).status_code == 404
    )
    assert client.post(suppliers_url(match), {"match": match.pk, "action": "invite", "event": "abc"}).status_code == 404
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("count", [1, 4])
def test_the_suppliers_page_answers_in_fixed_queries(client, event, count, django_assert_num_queries):
    scenario = ScenarioFactory(status="published")
    publisher = scenario.created_by
    for number in range(count):
        match = match_for(scenario, EntryFactory(status="listed", name=f"条目{number}"), score=90 - number)
        MatchFeedback.objects.create(
            scenario=scenario, entry=match.entry, side="publisher", decision="accepted", decided_by=publisher
        )
    client.force_login(publisher)
    url = reverse("matching:scenario-suppliers", args=[scenario.pk])
    client.get(url)
    # session, user (with roles); the scenario; the upcoming events; the page frame (unread messages;
    # the menu's items come from the cache); the matches with both answers and the next steps taken,
    # in one query.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count('data-testid="supplier-row"') == count
