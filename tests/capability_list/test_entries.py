import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation
from capability_list import services
from capability_list.models import CapabilityEntry, Credential
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord, Notification
from tests.factories.accounts import OrganisationFactory, UserFactory, valid_credit_code
from tests.factories.capability_list import EntryFactory, industry, strategic_area

pytestmark = pytest.mark.django_db

DATA = {
    "name": "高位视频车位检测终端",
    "kind": "product",
    "description": "一台相机覆盖 6 个泊位。",
    "technology_fields": "机器视觉、边缘计算",
}


def _data(**overrides):
    return {**DATA, "industry": industry("39"), "strategic_area": strategic_area("1"), "maturity": "mass", **overrides}


def test_company_registers_an_entry_with_a_credential_and_an_operator_lists_it(company_member, operator):
    entry = services.entry_create(
        actor=company_member,
        company=company_member.organisation,
        data=_data(),
        credentials=[{"kind": "first_set", "certificate_number": "NB-2024-0088", "level": "municipal", "year": 2024}],
    )
    assert entry.technology_fields == ["机器视觉", "边缘计算"] and entry.status == "draft"
    services.entry_submit(actor=company_member, entry=entry)
    assert Notification.objects.filter(recipient=operator, title__contains="能力清单待审核").exists()
    entry = services.entry_review(actor=operator, entry=entry, approve=True)
    assert entry.status == "listed" and entry.listed_at is not None
    assert AuditRecord.objects.filter(action="capability.list", object_id=str(entry.pk)).exists()
    assert Notification.objects.filter(recipient=company_member, title__contains="已列入能力清单").exists()


@pytest.mark.parametrize(
    ("credential", "message"),
    [
        ({"kind": "first_ever", "certificate_number": "X1", "level": "national", "year": 2024}, "类型应为首台套"),
        ({"kind": "first_set", "certificate_number": "", "level": "national", "year": 2024}, "缺少证书编号"),
        ({"kind": "first_set", "certificate_number": "X1", "level": "galactic", "year": 2024}, "级别应为"),
        ({"kind": "first_set", "certificate_number": "X1", "level": "national", "year": 2099}, "年度应在"),
        ({"kind": "first_set", "certificate_number": "X1", "level": "national", "year": 1999}, "年度应在"),
        ({"kind": "first_set", "certificate_number": "X1", "level": "national", "year": "去年"}, "年度应为数字"),
    ],
)
def test_bad_credentials_are_refused_and_nothing_is_stored(company_member, credential, message):
    with pytest.raises(ValidationError) as raised:
        services.entry_create(
            actor=company_member, company=company_member.organisation, data=_data(), credentials=[credential]
        )
    assert message in " ".join(raised.value.message_dict["credentials"])
    assert not CapabilityEntry.objects.exists() and not Credential.objects.exists()


def test_a_certificate_belongs_to_one_entry(company_member):
    credential = {"kind": "first_version", "certificate_number": "RJ-2023-12", "level": "provincial", "year": 2023}
    services.entry_create(
        actor=company_member, company=company_member.organisation, data=_data(), credentials=[credential]
    )
    with pytest.raises(ValidationError, match="已被其他条目登记"):
        services.entry_create(
            actor=company_member,
            company=company_member.organisation,
            data=_data(name="另一个产品"),
            credentials=[credential],
        )


def test_same_name_twice_for_one_company_is_refused(company_member):
    services.entry_create(actor=company_member, company=company_member.organisation, data=_data())
    with pytest.raises(ValidationError, match="已登记同名"):
        services.entry_create(actor=company_member, company=company_member.organisation, data=_data())
    assert CapabilityEntry.objects.count() == 1


def test_a_section_is_not_an_industry(company_member):
    with pytest.raises(ValidationError, match="请选择行业大类"):
        services.entry_create(
            actor=company_member, company=company_member.organisation, data=_data(industry=industry("C"))
        )


def test_return_needs_a_reason(operator):
    entry = EntryFactory(status="submitted")
    with pytest.raises(DomainError, match="请填写退回的原因"):
        services.entry_review(actor=operator, entry=entry, approve=False)
    services.entry_review(actor=operator, entry=entry, approve=False, note="请补充应用案例")
    entry.refresh_from_db()
    assert entry.status == "returned" and entry.review_note == "请补充应用案例"


def test_a_publisher_cannot_register_entries_and_a_company_only_for_itself(company_member):
    publisher = UserFactory(organisation=OrganisationFactory(kind="soe"), roles=["publisher"])
    with pytest.raises(PermissionDenied):
        services.entry_create(actor=publisher, company=company_member.organisation, data=_data())
    with pytest.raises(PermissionDenied):
        services.entry_create(actor=company_member, company=OrganisationFactory(), data=_data())


def test_association_files_for_a_new_member_company(client):
    association = OrganisationFactory(kind="association", name="宁波市软件行业协会")
    member = UserFactory(organisation=association, roles=["association"])
    client.force_login(member)
    code = valid_credit_code(4242)
    response = client.post(
        reverse("capability_list:create"),
        {
            "company_credit_code": code,
            "company_name": "宁波甬新软件有限公司",
            "company_district": Organisation.objects.first().district_id,
            **{key: value for key, value in DATA.items()},
            "industry": industry("65").pk,
            "strategic_area": strategic_area("1").pk,
            "maturity": "mass",
            "credentials-TOTAL_FORMS": "0",
            "credentials-INITIAL_FORMS": "0",
            "intent": "submit",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    entry = CapabilityEntry.objects.get()
    assert entry.company.credit_code == code and entry.submitted_via == association and entry.status == "submitted"
    assert entry.company.verification_status == "pending"


def test_association_cannot_file_under_a_mismatched_name(client):
    existing = OrganisationFactory(name="宁波真实企业有限公司")
    member = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    with pytest.raises(ValidationError, match="与填写的不一致"):
        services.company_for_filing(
            actor=member, credit_code=existing.credit_code, name="宁波冒名企业", district=existing.district
        )


def test_company_page_flow_and_operator_review_page(client, company_member, operator):
    client.force_login(company_member)
    response = client.post(
        reverse("capability_list:create"),
        {
            **DATA,
            "industry": industry("39").pk,
            "strategic_area": strategic_area("1").pk,
            "maturity": "mass",
            "credentials-TOTAL_FORMS": "1",
            "credentials-INITIAL_FORMS": "0",
            "credentials-0-kind": "first_set",
            "credentials-0-certificate_number": "SZ-01",
            "credentials-0-level": "municipal",
            "credentials-0-year": "2024",
            "intent": "submit",
        },
    )
    entry = CapabilityEntry.objects.get()
    assert response.url == reverse("capability_list:detail", args=[entry.pk]) and entry.status == "submitted"
    client.force_login(operator)
    client.post(reverse("capability_list:review-queue"), {"decision": "approve", "entries": [entry.pk]})
    client.logout()
    page = client.get(reverse("capability_list:list"), {"credential": "first_set"}).content.decode()
    assert "高位视频车位检测终端" in page and "首台套" in page


def test_unlisted_entries_are_404_for_others(client):
    entry = EntryFactory(status="submitted")
    assert client.get(reverse("capability_list:detail", args=[entry.pk])).status_code == 404
    client.force_login(UserFactory(organisation=OrganisationFactory(), roles=["company"]))
    assert client.get(reverse("capability_list:detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("capability_list:edit", args=[entry.pk])).status_code == 404


def test_list_filters_and_fixed_queries(client, django_assert_num_queries):
    EntryFactory(
        name="水质多参数在线监测仪", status="listed", industry=industry("40"), strategic_area=strategic_area("7")
    )
    EntryFactory(name="电子印章管理系统", status="listed", industry=industry("65"))
    EntryFactory(name="未审核产品", status="submitted")
    url = reverse("capability_list:list")
    names = lambda response: [entry.name for entry in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"industry": "C"})) == ["水质多参数在线监测仪"]
    assert names(client.get(url, {"strategic_area": "7"})) == ["水质多参数在线监测仪"]
    assert names(client.get(url, {"q": "印章"})) == ["电子印章管理系统"]
    # count, rows, credentials; filter choices: industries, strategic areas, districts
    with django_assert_num_queries(6):
        client.get(url)
    for number in range(30):
        EntryFactory(status="listed", name=f"批量产品{number}")
    with django_assert_num_queries(6):
        client.get(url, {"page_size": 100})


def test_a_refused_submit_keeps_the_new_entry_as_a_draft(client, company_member):
    """Save-and-submit without 所属行业: the entry is saved as a draft and the page says why it was not submitted."""
    client.force_login(company_member)
    response = client.post(
        reverse("capability_list:create"),
        {
            **DATA,
            "maturity": "mass",
            "credentials-TOTAL_FORMS": "0",
            "credentials-INITIAL_FORMS": "0",
            "intent": "submit",
        },
    )
    entry = CapabilityEntry.objects.get()
    assert entry.status == "draft" and entry.name == DATA["name"]
    assert response.url == reverse("capability_list:edit", args=[entry.pk])
    page = client.get(response.url).content.decode()
    assert "已保存，但未能提交审核" in page and "所属行业" in page


def test_a_refused_submit_keeps_the_edits_of_an_existing_entry(company_member):
    entry = services.entry_create(actor=company_member, company=company_member.organisation, data=_data(industry=None))
    result = services.entry_save(
        actor=company_member, entry=entry, data={"name": "改名后的终端"}, credentials=None, submit=True
    )
    entry.refresh_from_db()
    assert not result.submitted and "所属行业" in result.submit_refusal
    assert entry.name == "改名后的终端" and entry.status == "draft"


def test_bulk_review_takes_each_entry_on_its_own_and_a_refusal_undoes_nothing(operator):
    first = EntryFactory(name="甲", status="submitted")
    withdrawn = EntryFactory(name="乙", status="withdrawn")  # withdrawn while the operator was reading
    second = EntryFactory(name="丙", status="submitted")
    result = services.entry_review_many(actor=operator, entries=[first, withdrawn, second], approve=True)
    assert result.done == 2
    assert result.refused == ["乙：条目当前为“已撤回”，不在待审核状态。"]
    assert set(CapabilityEntry.objects.filter(status="listed").values_list("name", flat=True)) == {"甲", "丙"}
    assert CapabilityEntry.objects.get(pk=withdrawn.pk).status == "withdrawn"


def test_bulk_return_without_a_reason_is_refused_for_each_entry_and_changes_nothing(client, operator):
    entry = EntryFactory(name="甲", status="submitted")
    client.force_login(operator)
    response = client.post(
        reverse("capability_list:review-queue"), {"decision": "return", "entries": [entry.pk], "note": ""}, follow=True
    )
    assert "甲：请填写退回的原因。" in response.content.decode()
    assert CapabilityEntry.objects.get(pk=entry.pk).status == "submitted"
