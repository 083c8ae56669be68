"""/api/v1/capabilities/ without ?scope= holds listed entries only, the same for everyone: its data
comes from the cache (core.api.cached_lists, issue #20) until a model it shows changes. A company's
own entries (?scope=mine) are never stored, so one company's drafts never reach another."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from capability_list import services
from capability_list.models import Credential
from tests.capability_list.test_import import row, workbook_file
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db

LIST = reverse("v1:capability-list")


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def _company_user(name: str):
    return UserFactory(organisation=OrganisationFactory(name=name), roles=["company"])


def test_the_second_request_gets_the_stored_list_without_a_query(django_assert_num_queries):
    EntryFactory(name="毫米波人体安检仪", status="listed")
    EntryFactory(name="管网泄漏声学定位仪", status="listed")
    # A miss: the count, the rows with their joins, their credentials.
    with django_assert_num_queries(3):
        first = APIClient().get(LIST)
    with django_assert_num_queries(0):
        again = APIClient().get(LIST)
    assert _names(again) == _names(first) and len(_names(first)) == 2


def test_a_listed_entry_a_credential_and_a_renamed_company_show_on_the_next_request(operator):
    entry = EntryFactory(name="毫米波人体安检仪", status="listed")
    waiting = EntryFactory(name="管网泄漏声学定位仪", status="submitted")
    assert _names(APIClient().get(LIST)) == ["毫米波人体安检仪"]
    services.entry_review(actor=operator, entry=waiting, approve=True)
    assert set(_names(APIClient().get(LIST))) == {"毫米波人体安检仪", "管网泄漏声学定位仪"}
    Credential.objects.create(entry=entry, kind="first_set", certificate_number="ZJ-2025-007", level="city", year=2025)
    rows = {row["name"]: row for row in APIClient().get(LIST).json()["results"]}
    assert [c["certificate_number"] for c in rows["毫米波人体安检仪"]["credentials"]] == ["ZJ-2025-007"]
    entry.company.name = "宁波甬视智能科技有限公司"
    entry.company.save()
    rows = {row["name"]: row for row in APIClient().get(LIST).json()["results"]}
    assert rows["毫米波人体安检仪"]["company"] == "宁波甬视智能科技有限公司"


def test_entries_an_operator_imports_show_on_the_next_request(operator):
    """The import writes in bulk (no signal): its service makes the stored list stale."""
    assert _names(APIClient().get(LIST)) == []
    services.import_confirm(
        actor=operator, batch=services.import_upload(actor=operator, uploaded=workbook_file([row()]))
    )
    assert len(_names(APIClient().get(LIST))) == 1


def test_a_companys_own_drafts_never_reach_another_company_at_the_same_address():
    first, second = _company_user("甲公司"), _company_user("乙公司")
    EntryFactory(name="甲公司的草稿", company=first.organisation, status="draft")
    EntryFactory(name="乙公司的草稿", company=second.organisation, status="draft")
    EntryFactory(name="已上架的产品", company=first.organisation, status="listed")
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(first)
    theirs.force_authenticate(second)
    assert set(_names(mine.get(LIST, {"scope": "mine"}))) == {"甲公司的草稿", "已上架的产品"}
    assert _names(theirs.get(LIST, {"scope": "mine"})) == ["乙公司的草稿"]
    assert _names(mine.get(LIST)) == _names(theirs.get(LIST)) == ["已上架的产品"]
    assert _names(mine.get(LIST, {"status": "draft"})) == _names(theirs.get(LIST, {"status": "draft"})) == []


def test_the_stored_list_says_editable_false_to_everyone_the_owner_first():
    """A listed entry is not editable, even for its company: nothing in the stored rows is the owner's."""
    owner = _company_user("甲公司")
    EntryFactory(name="已上架的产品", company=owner.organisation, status="listed")
    mine, other = APIClient(), APIClient()
    mine.force_authenticate(owner)
    other.force_authenticate(_company_user("乙公司"))
    assert [row["editable"] for row in mine.get(LIST).json()["results"]] == [False]
    assert [row["editable"] for row in other.get(LIST).json()["results"]] == [False]


def _detail(entry):
    return reverse("v1:capability-detail", args=[entry.pk])


def test_a_listed_entry_is_answered_from_the_cache_to_whoever_asks_next(django_assert_num_queries):
    entry = EntryFactory(name="毫米波人体安检仪", status="listed")
    owner = APIClient()
    owner.force_authenticate(entry.submitted_by)
    first = owner.get(_detail(entry))
    assert first.status_code == 200 and first.json()["editable"] is False
    with django_assert_num_queries(0):
        again = APIClient().get(_detail(entry))
    assert again.json() == first.json()
    entry.description = "非接触式人体安检，通过率 600 人/小时。"
    entry.save()
    assert APIClient().get(_detail(entry)).json()["description"] == "非接触式人体安检，通过率 600 人/小时。"


def test_a_companys_draft_is_read_and_authorised_afresh_every_time():
    draft = EntryFactory(name="甲公司的草稿", status="draft")
    owner, other = APIClient(), APIClient()
    owner.force_authenticate(draft.submitted_by)
    other.force_authenticate(_company_user("乙公司"))  # created first: a new company makes the stored data stale
    assert owner.get(_detail(draft)).json()["editable"] is True
    assert other.get(_detail(draft)).status_code == 404
    assert APIClient().get(_detail(draft)).status_code == 404


def test_a_delisted_entry_is_not_served_from_the_cache():
    entry = EntryFactory(name="毫米波人体安检仪", status="listed")
    assert APIClient().get(_detail(entry)).status_code == 200
    entry.status = "withdrawn"
    entry.save()
    assert APIClient().get(_detail(entry)).status_code == 404
