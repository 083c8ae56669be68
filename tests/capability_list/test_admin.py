"""The 能力清单 in the system administrator's admin: read-only records, changelists of fixed cost."""

import pytest

from capability_list.models import CapabilityEntry, Credential, Enquiry, Industry
from capability_list.services import enquiry_ask
from tests.admin_checks import assert_read_only, changelist_queries, system_administrator
from tests.factories.accounts import UserFactory
from tests.factories.capability_list import EntryFactory
from tests.factories.scenarios import ScenarioFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_system_administrator_reads_an_entry_and_cannot_add_change_or_delete_one(client):
    entry = EntryFactory(status="listed")
    Credential.objects.create(
        entry=entry, kind="first_set", certificate_number="NB-2025-0001", level="municipal", year=2025
    )
    client.force_login(system_administrator())
    assert_read_only(client, entry)
    assert "NB-2025-0001" in client.get(f"/admin/capability_list/capabilityentry/{entry.pk}/change/").content.decode()
    assert_read_only(client, Industry.objects.get(code="39"))  # a national standard, seeded


def test_the_entry_changelist_takes_the_same_queries_for_one_row_as_for_many(client):
    client.force_login(system_administrator())
    EntryFactory(status="listed")
    one = changelist_queries(client, CapabilityEntry)
    for code in ["I", "65", "C", "38"]:
        EntryFactory(status="listed", industry=Industry.objects.get(code=code))
    assert changelist_queries(client, CapabilityEntry) == one


def test_the_enquiry_changelist_takes_the_same_queries_for_one_row_as_for_many(client):
    client.force_login(system_administrator())

    def ask():
        scenario = ScenarioFactory(status="published")
        asker = UserFactory(organisation=EntryFactory().company, roles=["company"])
        return enquiry_ask(actor=asker, subject="接口问题", question="是否支持国产数据库？", scenario=scenario)

    assert_read_only(client, ask())
    one = changelist_queries(client, Enquiry)
    for _ in range(3):
        ask()
    assert changelist_queries(client, Enquiry) == one
