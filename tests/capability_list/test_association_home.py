"""The association's home page (协会工作台): the entries it filed for members by status and its
latest imports, with the ways to import, file one entry, or see them all."""

import pytest
from django.urls import reverse

from capability_list.models import ImportBatch
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory

pytestmark = pytest.mark.django_db


def test_the_association_home_shows_its_filed_entries_and_imports(client, reference_data, django_assert_num_queries):
    association = OrganisationFactory(kind="association", name="宁波市软件行业协会")
    clerk = UserFactory(organisation=association, roles=["association"])
    EntryFactory.create_batch(2, submitted_via=association, status="listed")
    EntryFactory(submitted_via=association, status="returned")
    EntryFactory(status="listed")  # filed by nobody for this association: not counted
    batch = ImportBatch.objects.create(
        original_name="会员企业能力清单-第二批.xlsx", sha256="0" * 64, uploaded_by=clerk, state="checked"
    )
    ImportBatch.objects.create(original_name="别人的.xlsx", sha256="1" * 64, uploaded_by=UserFactory(), state="checked")

    client.force_login(clerk)
    home = reverse("accounts:role-home", args=["association"])
    client.get(home)
    # The page and the panel's two queries (entries by status, latest imports), whatever the counts
    # (the menu's items from the cache).
    with django_assert_num_queries(7):
        page = client.get(home).content.decode()
    counts = page.split('data-testid="association-entry-counts"')[1].split("</p>")[0]
    assert "已入库 2 项，待审核 0 项，已退回 1 项，草稿 0 项" in counts
    imports = page.split('data-testid="panel-association-entries"')[1]
    assert imports.count('data-testid="home-import"') == 1 and "会员企业能力清单-第二批.xlsx" in imports
    assert reverse("capability_list:import-detail", args=[batch.pk]) in imports
    for name in ("capability_list:import", "capability_list:create", "capability_list:mine"):
        assert reverse(name) in imports
