"""Changes to listed entries: proposed by the company, decided by an operator, the listed version
public until then (capability_list.services.changes). The rematch on approval: tests/matching/test_entry_changes.py."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from capability_list import selectors, services
from capability_list.models import CapabilityEntry, CapabilityEntryRevision, Credential
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.capability_list import EntryFactory, industry, strategic_area

pytestmark = pytest.mark.django_db

LISTED_TEXT = "一台相机覆盖 6 个泊位。"
NEW_TEXT = "一台相机覆盖 8 个泊位，支持无感支付。"


@pytest.fixture
def entry(company):
    entry = EntryFactory(company=company, status="listed", description=LISTED_TEXT, name="高位视频车位检测终端")
    Credential.objects.create(entry=entry, kind="first_set", certificate_number="NB-1", level="municipal", year=2024)
    return entry


def _data(entry, **overrides):
    return {
        "name": entry.name,
        "kind": entry.kind,
        "description": entry.description,
        "application_cases": entry.application_cases,
        "technology_fields": entry.technology_fields,
        "industry": industry("39"),
        "strategic_area": strategic_area("1"),
        "maturity": entry.maturity,
        "price_band": entry.price_band,
        "is_strategic_emerging": entry.is_strategic_emerging,
        "is_independent_innovation": entry.is_independent_innovation,
        **overrides,
    }


NEW_CREDENTIALS = [
    {"kind": "first_set", "certificate_number": "NB-1", "level": "municipal", "year": 2024},
    {"kind": "first_version", "certificate_number": "RJ-9", "level": "provincial", "year": 2025},
]


def _submitted(entry, actor, **overrides):
    change = services.entry_change_save(
        actor=actor, entry=entry, data=_data(entry, description=NEW_TEXT, **overrides), credentials=NEW_CREDENTIALS
    )
    return services.entry_change_submit(actor=actor, change=change)


def _listed(entry) -> CapabilityEntry:
    return selectors.listed_entries().get(pk=entry.pk)


def test_a_saved_change_leaves_the_listed_version_public_and_is_kept(entry, company_member):
    change = services.entry_change_save(
        actor=company_member, entry=entry, data=_data(entry, description=NEW_TEXT), credentials=NEW_CREDENTIALS
    )
    assert CapabilityEntryRevision.objects.get().status == "draft"  # saved: leaving the page loses nothing
    assert change.data["description"] == NEW_TEXT and change.data["industry"] == industry("39").pk
    listed = _listed(entry)
    assert listed.description == LISTED_TEXT and [c.certificate_number for c in listed.credentials.all()] == ["NB-1"]
    assert AuditRecord.objects.filter(action="capability.change_save", object_id=str(entry.pk)).exists()


def test_a_submitted_change_waits_for_the_operators_and_the_listed_version_stays(entry, company_member, operator):
    change = _submitted(entry, company_member)
    assert change.status == "submitted"
    assert _listed(entry).description == LISTED_TEXT and LISTED_TEXT in _listed(entry).search_text
    note = Notification.objects.get(recipient=operator)
    assert note.title_message["text"] == "已入库条目修改待审核：%(name)s" and entry.name in note.title
    assert AuditRecord.objects.filter(action="capability.change_submit", object_id=str(entry.pk)).exists()


def test_approval_replaces_the_listed_version_and_tells_the_company(entry, company_member, operator):
    change = _submitted(entry, company_member, technology_fields="机器视觉、移动支付")
    services.entry_change_review(actor=operator, change=change, approve=True)
    listed = _listed(entry)
    assert listed.description == NEW_TEXT and listed.technology_fields == ["机器视觉", "移动支付"]
    assert NEW_TEXT in listed.search_text and listed.status == "listed"
    assert sorted(c.certificate_number for c in listed.credentials.all()) == ["NB-1", "RJ-9"]
    change.refresh_from_db()
    assert change.status == "approved" and change.reviewed_by == operator
    record = AuditRecord.objects.get(action="capability.change_approve")
    assert record.before["data"]["description"] == LISTED_TEXT and record.after["data"]["description"] == NEW_TEXT
    note = Notification.objects.get(recipient=company_member)
    assert note.title_message == {"text": "“%(name)s”的修改已生效", "params": {"name": entry.name}}


def test_a_returned_change_keeps_the_listed_version_and_can_be_edited_again(entry, company_member, operator):
    change = _submitted(entry, company_member)
    with pytest.raises(DomainError, match="退回的原因"):
        services.entry_change_review(actor=operator, change=change, approve=False, note=" ")
    services.entry_change_review(actor=operator, change=change, approve=False, note="请补充泊位数的测试报告。")
    change.refresh_from_db()
    assert change.status == "returned" and change.review_note == "请补充泊位数的测试报告。"
    assert _listed(entry).description == LISTED_TEXT
    note = Notification.objects.get(recipient=company_member)
    assert note.body == "请补充泊位数的测试报告。" and note.title_message["text"] == "“%(name)s”的修改被退回"
    assert AuditRecord.objects.filter(action="capability.change_return", reason="请补充泊位数的测试报告。").exists()
    again = services.entry_change_save(
        actor=company_member, entry=entry, data=_data(entry, description="第三版简介。"), credentials=NEW_CREDENTIALS
    )
    assert again.pk == change.pk and again.status == "returned" and again.data["description"] == "第三版简介。"
    assert services.entry_change_submit(actor=company_member, change=again).status == "submitted"


def test_one_pending_change_at_a_time(entry, company_member):
    change = _submitted(entry, company_member)
    with pytest.raises(DomainError, match="审核中"):
        services.entry_change_save(actor=company_member, entry=entry, data=_data(entry), credentials=[])
    assert CapabilityEntryRevision.objects.get().data == change.data
    with pytest.raises(IntegrityError), transaction.atomic():
        CapabilityEntryRevision.objects.create(entry=entry, created_by=company_member, status="draft")


def test_a_change_identical_to_the_listed_version_is_not_submitted(entry, company_member):
    change = services.entry_change_save(
        actor=company_member,
        entry=entry,
        data=_data(entry),
        credentials=[{"kind": "first_set", "certificate_number": "NB-1", "level": "municipal", "year": 2024}],
    )
    with pytest.raises(DomainError, match="无需提交"):
        services.entry_change_submit(actor=company_member, change=change)


def test_a_foreign_company_and_a_member_without_the_company_role_cannot_change_the_entry(entry, company_member):
    foreign = UserFactory(organisation=OrganisationFactory(), roles=["company"])
    colleague_without_role = UserFactory(organisation=entry.company, roles=["publisher"])
    association = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    entry.submitted_via = association.organisation
    entry.save()
    for outsider in (foreign, colleague_without_role, association):
        with pytest.raises(PermissionDenied):
            services.entry_change_save(
                actor=outsider, entry=entry, data=_data(entry, description="篡改"), credentials=[]
            )
    change = services.entry_change_save(actor=company_member, entry=entry, data=_data(entry), credentials=[])
    for outsider in (foreign, colleague_without_role):
        with pytest.raises(PermissionDenied):
            services.entry_change_submit(actor=outsider, change=change)
        with pytest.raises(PermissionDenied):
            services.entry_change_review(actor=outsider, change=change, approve=True)


def test_only_a_listed_entry_is_changed_through_review(company, company_member):
    draft = EntryFactory(company=company, status="draft")
    with pytest.raises(PermissionDenied):
        services.entry_change_save(actor=company_member, entry=draft, data=_data(draft), credentials=[])


def test_bad_values_in_a_change_are_refused_and_nothing_is_saved(entry, company_member):
    other = EntryFactory(company=entry.company, status="listed", name="另一个产品")
    with pytest.raises(ValidationError, match="已登记同名"):
        services.entry_change_save(
            actor=company_member, entry=entry, data=_data(entry, name=other.name), credentials=[]
        )
    assert not CapabilityEntryRevision.objects.exists()


def test_a_certificate_taken_meanwhile_stops_the_approval_and_changes_nothing(entry, company_member, operator):
    change = _submitted(entry, company_member)
    Credential.objects.create(
        entry=EntryFactory(status="listed"),
        kind="first_version",
        certificate_number="RJ-9",
        level="national",
        year=2025,
    )
    with pytest.raises(DomainError, match="已被其他条目登记"):
        services.entry_change_review(actor=operator, change=change, approve=True)
    change.refresh_from_db()
    assert change.status == "submitted" and _listed(entry).description == LISTED_TEXT


def test_the_company_discards_its_change_and_withdrawing_the_entry_drops_an_open_one(entry, company_member):
    change = _submitted(entry, company_member)
    services.entry_change_discard(actor=company_member, change=change)
    change.refresh_from_db()
    assert change.status == "discarded" and _listed(entry).description == LISTED_TEXT
    assert AuditRecord.objects.filter(action="capability.change_discard").exists()
    second = services.entry_change_save(actor=company_member, entry=entry, data=_data(entry), credentials=[])
    services.entry_withdraw(actor=company_member, entry=entry)
    second.refresh_from_db()
    assert second.status == "discarded"


def test_the_diff_marks_the_changed_fields_and_words(entry, company_member):
    change = _submitted(entry, company_member)
    rows = {row.name: row for row in selectors.change_diff(entry, change)}
    assert rows["description"].changed and not rows["name"].changed and rows["credentials"].changed
    assert "".join(piece.text for piece in rows["description"].listed) == LISTED_TEXT
    assert [piece.text for piece in rows["description"].proposed if piece.marked] == ["8", "，支持无感支付"]
    added = [piece.text for piece in rows["credentials"].proposed if piece.marked]
    assert added == ["首版次 · 省级 · 2025 · 证书 RJ-9"]


def test_the_review_of_a_new_entry_is_told_in_messages_kept_untranslated(company, company_member, operator):
    entry = EntryFactory(company=company, status="draft", submitted_by=company_member)
    services.entry_submit(actor=company_member, entry=entry)
    services.entry_review(actor=operator, entry=entry, approve=False, note="请补充案例。")
    asked = Notification.objects.get(recipient=operator)
    told = Notification.objects.get(recipient=company_member)
    assert asked.title_message == {"text": "能力清单待审核：%(name)s", "params": {"name": entry.name}}
    assert told.title_message == {"text": "“%(name)s”被退回修改", "params": {"name": entry.name}}
    assert told.body == "请补充案例。" and told.body_message is None  # the operator's words, as written
