"""The 高成长性科技企业 list import: a dry run shows the difference and changes nothing; an
operator applies it in one audited transaction; hostile files are refused."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from core.errors import DomainError, PermissionDenied
from core.models import AuditRecord
from steering.choices import HighGrowthImportState
from steering.models import HighGrowthImport, HighGrowthListing
from steering.services import high_growth_import_apply, high_growth_import_check
from tests.conftest import login
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.steering import high_growth_workbook, listed_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(reference_data):
    """Two listed companies (one stays, one will be removed) and one verified company to add."""
    stays = listed_company(datetime.date(2024, 5, 1), name="宁波甬江实验室孵化智能装备有限公司")
    leaves = listed_company(datetime.date(2024, 5, 1), name="宁波即将移出名单的科技有限公司")
    joins = OrganisationFactory(name="宁波前湾新区新能源汽车零部件科技有限公司")
    return {"stays": stays, "leaves": leaves, "joins": joins}


def _file(current, *extra):
    return high_growth_workbook(
        [
            (f" {current['stays'].credit_code.lower()} ", current["stays"].name),
            (current["joins"].credit_code, ""),
            *extra,
        ]
    )


def test_dry_run_shows_added_removed_unchanged_and_changes_nothing(current):
    operator = operator_user()
    listings = list(HighGrowthListing.objects.values_list("pk", "delisted_on"))
    upload = high_growth_import_check(actor=operator, uploaded=_file(current))
    assert [row["name"] for row in upload.diff["added"]] == [current["joins"].name]
    assert [row["name"] for row in upload.diff["removed"]] == [current["leaves"].name]
    assert [row["name"] for row in upload.diff["unchanged"]] == [current["stays"].name]
    assert upload.diff["errors"] == []
    assert list(HighGrowthListing.objects.values_list("pk", "delisted_on")) == listings
    assert not Organisation.objects.get(pk=current["joins"].pk).is_high_growth
    assert Organisation.objects.get(pk=current["leaves"].pk).is_high_growth


def test_row_errors_name_the_row_in_chinese(current):
    government = OrganisationFactory(kind="government", name="宁波市发展和改革委员会")
    pending = OrganisationFactory(verification_status="pending", name="宁波待认证科技有限公司")
    upload = high_growth_import_check(
        actor=operator_user(),
        uploaded=_file(
            current,
            ("91330200MA2XXXXXX0", "校验位错误"),
            (current["joins"].credit_code, "重复"),
            (government.credit_code, government.name),
            (pending.credit_code, pending.name),
            ("", "只有名称"),
            ("=cmd|' /C calc'!A0", "公式"),
        ),
    )
    errors = {error["row"]: error["message"] for error in upload.diff["errors"]}
    assert sorted(errors) == [4, 5, 6, 7, 8, 9]
    assert "与第 3 行重复" in errors[5]
    assert "不是企业" in errors[6]
    assert "尚未通过认证" in errors[7]
    assert "缺少统一社会信用代码" in errors[8]


def test_apply_lists_adds_delists_removes_and_is_audited(current):
    operator = operator_user()
    upload = high_growth_import_check(actor=operator, uploaded=_file(current))
    high_growth_import_apply(actor=operator, upload=upload)
    today = timezone.localdate()
    upload.refresh_from_db()
    assert upload.state == HighGrowthImportState.APPLIED and upload.applied_by == operator
    assert Organisation.objects.get(pk=current["joins"].pk).is_high_growth
    assert not Organisation.objects.get(pk=current["leaves"].pk).is_high_growth
    assert HighGrowthListing.objects.get(organisation=current["joins"], source=upload).listed_on == today
    assert HighGrowthListing.objects.get(organisation=current["leaves"]).delisted_on == today
    record = AuditRecord.objects.get(action="steering.high_growth.apply")
    assert record.after["added"] == [current["joins"].credit_code]
    assert record.after["removed"] == [current["leaves"].credit_code]
    with pytest.raises(DomainError, match="不能重复导入"):
        high_growth_import_apply(actor=operator, upload=upload)


def test_apply_is_refused_and_changes_nothing_when_the_list_moved_since_the_dry_run(current):
    operator = operator_user()
    upload = high_growth_import_check(actor=operator, uploaded=_file(current))
    listed_company(datetime.date(2025, 1, 1), name="试导入后另行列入的企业")
    before = list(HighGrowthListing.objects.order_by("pk").values_list("pk", "delisted_on"))
    with pytest.raises(DomainError, match="重新上传"):
        high_growth_import_apply(actor=operator, upload=upload)
    assert list(HighGrowthListing.objects.order_by("pk").values_list("pk", "delisted_on")) == before
    assert HighGrowthImport.objects.get(pk=upload.pk).state == HighGrowthImportState.CHECKED
    assert not AuditRecord.objects.filter(action="steering.high_growth.apply").exists()


def test_apply_is_refused_while_rows_have_errors(current):
    operator = operator_user()
    upload = high_growth_import_check(actor=operator, uploaded=_file(current, ("", "无代码")))
    with pytest.raises(DomainError, match="1 行错误"):
        high_growth_import_apply(actor=operator, upload=upload)
    assert not Organisation.objects.get(pk=current["joins"].pk).is_high_growth


def test_only_operators_import(current):
    official = UserFactory(organisation=OrganisationFactory(kind="government"), roles=["official"])
    with pytest.raises(PermissionDenied):
        high_growth_import_check(actor=official, uploaded=_file(current))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("名单.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "已加密"),
        ("名单.csv", b"91330212,abc\n", ".xlsx"),
        ("名单.xlsx", b"PK\x03\x04 not really a zip", "已损坏"),
        (
            "名单.xlsx",
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}),
            "实体声明",
        ),
        (
            "名单.xlsx",
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * (201 * 1024 * 1024)}),
            "压缩炸弹",
        ),
    ],
)
def test_hostile_files_are_refused_with_a_reason(current, name, content, reason):
    with pytest.raises(DomainError, match=reason):
        high_growth_import_check(actor=operator_user(), uploaded=SimpleUploadedFile(name, content))
    assert not HighGrowthImport.objects.exists()


def test_wrong_headers_are_refused(current):
    with pytest.raises(DomainError, match="表头缺少列"):
        high_growth_import_check(
            actor=operator_user(), uploaded=high_growth_workbook([("a", "b")], headers=("代码", "名称"))
        )


def test_pages_upload_preview_and_apply(client, current):
    operator = operator_user()
    login(client, operator)
    response = client.post(reverse("steering:high-growth-imports"), {"file": _file(current)})
    upload = HighGrowthImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "steering:high-growth-import", args=[upload.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert current["joins"].name in page and current["leaves"].name in page and "确认生效" in page
    response = client.post(reverse("steering:high-growth-import", args=[upload.pk]), follow=True)
    assert "名单已生效：新增 1 家，移出 1 家。" in response.content.decode()
    assert client.get(reverse("steering:high-growth-template")).content[:2] == b"PK"


def test_empty_upload_post_is_a_400_in_chinese(client, current):
    login(client, operator_user())
    response = client.post(reverse("steering:high-growth-imports"), {})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
