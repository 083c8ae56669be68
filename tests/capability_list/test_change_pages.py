"""The pages of a change to a listed entry: the company's editor and entry page, the operator's
review queue and review page; the listed version on the public pages until approval."""

import pytest
from django.urls import reverse

from capability_list.models import CapabilityEntry, CapabilityEntryRevision
from capability_list.selectors import REVIEW_QUEUE_PAGES
from core.page_cache import pages_changed
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory, industry, strategic_area

pytestmark = pytest.mark.django_db

LISTED_TEXT = "一台相机覆盖 6 个泊位。"
NEW_TEXT = "一台相机覆盖 8 个泊位。"


@pytest.fixture
def entry(company):
    return EntryFactory(company=company, status="listed", name="高位视频车位检测终端", description=LISTED_TEXT)


def _form(entry, intent="save", **overrides):
    return {
        "name": entry.name,
        "kind": "product",
        "description": NEW_TEXT,
        "technology_fields": "机器视觉、边缘计算",
        "industry": industry("39").pk,
        "strategic_area": strategic_area("1").pk,
        "maturity": "mass",
        "credentials-TOTAL_FORMS": "0",
        "credentials-INITIAL_FORMS": "0",
        "intent": intent,
        **overrides,
    }


def _public_page(client, entry) -> str:
    client.logout()
    return client.get(reverse("capability_list:detail", args=[entry.pk])).content.decode()


def test_the_company_edits_its_listed_entry_and_the_public_page_keeps_the_listed_version(client, entry, company_member):
    client.force_login(company_member)
    assert client.get(reverse("capability_list:edit", args=[entry.pk])).url == reverse(
        "capability_list:change-edit", args=[entry.pk]
    )
    editor = client.get(reverse("capability_list:change-edit", args=[entry.pk])).content.decode()
    assert LISTED_TEXT in editor and "审核通过前，公开页面仍显示已入库版本" in editor
    response = client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry))
    assert response.url == reverse("capability_list:detail", args=[entry.pk])
    own = client.get(response.url).content.decode()
    assert "未提交" in own and 'data-testid="diff-changed"' in own and "<ins>8</ins>" in own
    # leaving and coming back: the editor starts from the saved change
    assert NEW_TEXT in client.get(reverse("capability_list:change-edit", args=[entry.pk])).content.decode()
    client.post(reverse("capability_list:change-action", args=[entry.pk]), {"action": "submit"})
    assert CapabilityEntryRevision.objects.get().status == "submitted"
    assert "待审核" in client.get(reverse("capability_list:detail", args=[entry.pk])).content.decode()
    public = _public_page(client, entry)
    assert LISTED_TEXT in public and NEW_TEXT not in public and "待审核" not in public
    listing = client.get(reverse("capability_list:list"), {"q": "泊位"}).content.decode()
    assert entry.name in listing


def test_save_and_submit_in_one_step_and_a_second_edit_waits(client, entry, company_member):
    client.force_login(company_member)
    response = client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, intent="submit"))
    assert response.url == reverse("capability_list:detail", args=[entry.pk])
    assert CapabilityEntryRevision.objects.get().status == "submitted"
    again = client.get(reverse("capability_list:change-edit", args=[entry.pk]), follow=True).content.decode()
    assert "已有一项修改在审核中" in again


def test_a_submission_refused_keeps_the_change_saved(client, entry, company_member):
    client.force_login(company_member)
    response = client.post(
        reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, intent="submit", maturity="")
    )
    assert response.url == reverse("capability_list:change-edit", args=[entry.pk])
    change = CapabilityEntryRevision.objects.get()
    assert change.status == "draft" and change.data["description"] == NEW_TEXT
    assert "修改已保存，但未能提交审核" in client.get(response.url).content.decode()


def test_bad_input_in_the_editor_is_a_form_error_and_saves_nothing(client, entry, company_member):
    client.force_login(company_member)
    response = client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, name=""))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, industry="not-a-number")
    )
    assert response.status_code == 200
    assert not CapabilityEntryRevision.objects.exists()


@pytest.mark.parametrize("who", ["foreign company", "member without the company role", "filing association"])
def test_others_get_404_on_the_change_pages(client, entry, company_member, who):
    association = OrganisationFactory(kind="association")
    entry.submitted_via = association
    entry.save()
    outsider = {
        "foreign company": lambda: UserFactory(organisation=OrganisationFactory(), roles=["company"]),
        "member without the company role": lambda: UserFactory(organisation=entry.company, roles=["publisher"]),
        "filing association": lambda: UserFactory(organisation=association, roles=["association"]),
    }[who]()
    client.force_login(company_member)
    client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, intent="submit"))
    change = CapabilityEntryRevision.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("capability_list:change-edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry)).status_code == 404
    action = client.post(reverse("capability_list:change-action", args=[entry.pk]), {"action": "discard"})
    assert action.status_code == 404
    assert client.get(reverse("capability_list:change-review", args=[change.pk])).status_code == 404
    assert NEW_TEXT not in client.get(reverse("capability_list:detail", args=[entry.pk])).content.decode()
    change.refresh_from_db()
    assert change.status == "submitted"


def test_the_operator_reviews_the_diff_and_approves_then_the_public_page_shows_the_change(
    client, entry, company_member, operator
):
    client.force_login(company_member)
    client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, intent="submit"))
    change = CapabilityEntryRevision.objects.get()
    client.force_login(operator)
    queue = client.get(reverse("capability_list:review-queue")).content.decode()
    assert reverse("capability_list:change-review", args=[change.pk]) in queue
    review = client.get(reverse("capability_list:change-review", args=[change.pk])).content.decode()
    assert "<del>6</del>" in review and "<ins>8</ins>" in review
    response = client.post(reverse("capability_list:change-review", args=[change.pk]), {"decision": "approve"})
    assert response.url == reverse("capability_list:review-queue")
    public = _public_page(client, entry)
    assert NEW_TEXT in public and LISTED_TEXT not in public


def test_a_return_without_a_reason_is_a_form_error_and_with_one_the_company_sees_it(
    client, entry, company_member, operator
):
    client.force_login(company_member)
    client.post(reverse("capability_list:change-edit", args=[entry.pk]), _form(entry, intent="submit"))
    change = CapabilityEntryRevision.objects.get()
    client.force_login(operator)
    url = reverse("capability_list:change-review", args=[change.pk])
    response = client.post(url, {"decision": "return", "note": ""})
    assert response.status_code == 200 and "请填写退回的原因" in response.content.decode()
    assert client.post(url, {"decision": "maybe"}).status_code == 200
    change.refresh_from_db()
    assert change.status == "submitted"
    client.post(url, {"decision": "return", "note": "请补充测试报告。"})
    client.force_login(company_member)
    own = client.get(reverse("capability_list:detail", args=[entry.pk])).content.decode()
    assert "已退回" in own and "请补充测试报告。" in own and "继续修改" in own
    assert CapabilityEntry.objects.get(pk=entry.pk).description == LISTED_TEXT


def test_the_review_queue_takes_the_same_queries_for_one_change_as_for_many(
    client, operator, django_assert_num_queries
):
    def pending_change():
        listed = EntryFactory(status="listed")
        CapabilityEntryRevision.objects.create(
            entry=listed, created_by=listed.submitted_by, status="submitted", data={"name": "x"}
        )

    pending_change()
    EntryFactory(status="submitted")
    client.force_login(operator)
    client.get(reverse("capability_list:review-queue"))  # warm the session and the navigation
    pages_changed(REVIEW_QUEUE_PAGES)  # the queue's own part rendered afresh: its queries counted
    # session, user (with roles and unread messages); changes; the filters' area and district choices; new
    # entries: count, rows, credentials, evidence
    with django_assert_num_queries(9):
        client.get(reverse("capability_list:review-queue"))
    with django_assert_num_queries(2):  # stored: only the session and the user (with roles and unread messages)
        client.get(reverse("capability_list:review-queue"))
    for _ in range(4):
        pending_change()
        EntryFactory(status="submitted")
    with django_assert_num_queries(9):
        client.get(reverse("capability_list:review-queue"))
