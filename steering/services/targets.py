"""十百千 targets: the values operators set (targets and their planned trajectory), the daily
snapshots of what the counting rules count, and the 高成长性科技企业 list's import.

Keyword-only, atomic; refusals raise DomainError (or PermissionDenied) with a Chinese message.
"""

import datetime
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import OrganisationKind, VerificationStatus
from accounts.models import District, Organisation
from accounts.permissions import is_operator
from accounts.validators import validate_credit_code
from core.errors import DomainError, PermissionDenied
from core.excel import SheetWriter, new_workbook, workbook_bytes
from core.excel_reading import WorkbookRefused, check_workbook_file, check_workbook_upload, read_table
from core.messages import Message
from core.services import audit_record, notify, snapshot
from steering.choices import HighGrowthImportState, TargetMetric
from steering.cockpit import models_changed
from steering.models import HighGrowthImport, HighGrowthListing, Target, TargetPlanPoint, TargetSnapshot
from steering.target_rules import RULES

TARGET_AUDIT_FIELDS = ["metric", "district", "title", "target_value", "baseline", "starts_on", "deadline", "note"]
MAX_TARGET_VALUE = 1_000_000
MAX_PLAN_POINTS = 200
HIGH_GROWTH_HEADERS = ["统一社会信用代码", "企业名称"]
MAX_HIGH_GROWTH_ROWS = 20_000


def _require_operator(actor) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营管理人员可以办理该事项。"))


def _plan_of(target: Target) -> list[dict]:
    return [{"day": point.day.isoformat(), "planned_value": point.planned_value} for point in target.plan_points.all()]


def _check_target(*, target_value, baseline, starts_on, deadline, plan) -> list[tuple[datetime.date, int]]:
    """Refuse impossible values; return the plan points sorted by day."""
    if not isinstance(target_value, int) or not 0 < target_value <= MAX_TARGET_VALUE:
        raise DomainError(_("目标值应为 1 至 %(max)d 之间的整数。") % {"max": MAX_TARGET_VALUE}, code="target_value")
    if not isinstance(baseline, int) or not 0 <= baseline < target_value:
        raise DomainError(_("基数应为不小于 0 且小于目标值的整数。"), code="baseline")
    if not (isinstance(starts_on, datetime.date) and isinstance(deadline, datetime.date)) or deadline <= starts_on:
        raise DomainError(_("完成期限应晚于起算日期。"), code="deadline")
    points = sorted(plan or [], key=lambda point: point[0])
    if len(points) > MAX_PLAN_POINTS:
        raise DomainError(_("计划节点最多 %(max)d 个。") % {"max": MAX_PLAN_POINTS}, code="plan")
    seen = set()
    previous = baseline
    for day, value in points:
        if day in seen:
            raise DomainError(_("计划节点日期 %(day)s 重复。") % {"day": day.isoformat()}, code="plan")
        seen.add(day)
        if not starts_on <= day <= deadline:
            raise DomainError(
                _("计划节点 %(day)s 不在起算日期与完成期限之间。") % {"day": day.isoformat()}, code="plan"
            )
        if not isinstance(value, int) or value < 0 or value > MAX_TARGET_VALUE:
            raise DomainError(_("计划值应为不小于 0 的整数。"), code="plan")
        if value < previous:
            raise DomainError(
                _("计划值应随日期递增：%(day)s 的计划值 %(value)d 小于之前的 %(previous)d。")
                % {"day": day.isoformat(), "value": value, "previous": previous},
                code="plan",
            )
        previous = value
    if points and points[-1][1] > target_value:
        raise DomainError(_("计划值不能超过目标值。"), code="plan")
    return points


def _write_plan(target: Target, points) -> None:
    target.plan_points.all().delete()
    TargetPlanPoint.objects.bulk_create([TargetPlanPoint(target=target, day=day, planned_value=v) for day, v in points])


@transaction.atomic
def target_create(
    *,
    actor,
    metric: str,
    district: District | None,
    title: str,
    target_value: int,
    baseline: int = 0,
    starts_on: datetime.date,
    deadline: datetime.date,
    note: str = "",
    plan=(),
) -> Target:
    """An operator sets a new target (a new horizon is a new target). `plan` is a list of
    (day, planned value). Side effects: the target and its plan points, an audit record."""
    _require_operator(actor)
    if metric not in TargetMetric.values:
        raise DomainError(_("未知的指标。"), code="metric")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写目标名称。"), code="title")
    points = _check_target(
        target_value=target_value, baseline=baseline, starts_on=starts_on, deadline=deadline, plan=plan
    )
    target = Target.objects.create(
        metric=metric,
        district=district,
        title=title[:100],
        target_value=target_value,
        baseline=baseline,
        starts_on=starts_on,
        deadline=deadline,
        note=note or "",
        created_by=actor,
    )
    _write_plan(target, points)
    audit_record(
        actor=actor,
        action="steering.target.create",
        target=target,
        after={**snapshot(target, TARGET_AUDIT_FIELDS), "plan": _plan_of(target)},
    )
    return target


@transaction.atomic
def target_update(
    *,
    actor,
    target: Target,
    title: str,
    target_value: int,
    baseline: int,
    starts_on: datetime.date,
    deadline: datetime.date,
    note: str = "",
    plan=(),
    reason: str = "",
) -> Target:
    """An operator corrects a target and replaces its plan (the metric and scope stay: a new
    horizon or scope is a new target). Archived targets are read-only. Side effects: an audit
    record with before and after."""
    _require_operator(actor)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.is_archived:
        raise DomainError(_("已归档的目标不能修改。"), code="archived")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写目标名称。"), code="title")
    points = _check_target(
        target_value=target_value, baseline=baseline, starts_on=starts_on, deadline=deadline, plan=plan
    )
    before = {**snapshot(target, TARGET_AUDIT_FIELDS), "plan": _plan_of(target)}
    target.title = title[:100]
    target.target_value = target_value
    target.baseline = baseline
    target.starts_on = starts_on
    target.deadline = deadline
    target.note = note or ""
    target.save()
    _write_plan(target, points)
    audit_record(
        actor=actor,
        action="steering.target.update",
        target=target,
        before=before,
        after={**snapshot(target, TARGET_AUDIT_FIELDS), "plan": _plan_of(target)},
        reason=reason,
    )
    return target


@transaction.atomic
def target_archive(*, actor, target: Target, reason: str) -> Target:
    """An operator archives a target (its horizon has passed or a new target replaces it); it
    stays readable. Side effects: an audit record with the reason."""
    _require_operator(actor)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.is_archived:
        raise DomainError(_("该目标已归档。"), code="archived")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写归档原因。"), code="reason")
    target.is_archived = True
    target.save(update_fields=["is_archived", "updated_at"])
    audit_record(
        actor=actor,
        action="steering.target.archive",
        target=target,
        before={"is_archived": False},
        after={"is_archived": True},
        reason=reason[:500],
    )
    return target


@transaction.atomic
def targets_snapshot_take(*, day: datetime.date) -> int:
    """Store what every rule counts at the end of `day`, for the city and for every active
    district, zeros included, with the rule's version. A stored snapshot is history: taking a day
    again writes only its missing rows and never rewrites one already taken, so a later rule
    change or a late correction of a record does not change a past month's figures (the monthly
    调度 report reads them). Returns the number of rows written."""
    districts = list(District.objects.filter(is_active=True).values_list("pk", flat=True))
    existing = set(TargetSnapshot.objects.filter(day=day).values_list("metric", "district_id"))
    created = [
        TargetSnapshot(
            metric=code,
            district_id=district_id,
            day=day,
            value=rule.counted(day, district_id).count(),
            rule_version=rule.version,
        )
        for code, rule in RULES.items()
        for district_id in [None, *districts]
        if (code, district_id) not in existing
    ]
    TargetSnapshot.objects.bulk_create(created)
    if created:
        transaction.on_commit(lambda: models_changed("steering.TargetSnapshot"))
    return len(created)


def targets_snapshot_backfill(*, start: datetime.date, end: datetime.date) -> int:
    """targets_snapshot_take for every day from start to end (inclusive), each day its own
    transaction. Returns the number of days taken."""
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"), code="range")
    days = 0
    day = start
    while day <= end:
        targets_snapshot_take(day=day)
        day += datetime.timedelta(days=1)
        days += 1
    return days


# --- 高成长性科技企业 list -------------------------------------------------------------------


def high_growth_template_workbook() -> bytes:
    """The import template: the two columns and one example row."""
    from capability_list.import_checker import EXAMPLE_CREDIT_CODE

    workbook = new_workbook()
    writer = SheetWriter(workbook, "高成长性科技企业名单", HIGH_GROWTH_HEADERS, widths=[24, 40])
    writer.append([EXAMPLE_CREDIT_CODE, "宁波示例科技有限公司"])
    notes = SheetWriter(workbook, "填写说明", ["说明"], widths=[90])
    notes.append(["每行一家企业，填写完整的名单（不在文件中的企业将移出名单）。"])
    notes.append(["统一社会信用代码须为已在平台注册并认证的企业；企业名称仅供核对。"])
    return workbook_bytes(workbook)


def _read_high_growth_rows(content: bytes, name: str, *, uploaded_now: bool = False):
    """(row number, credit code, name) of the first visible sheet, below its header row, after the
    whole-file checks (core.excel_reading, shared with the capability import): just uploaded, the
    name and the virus scanner too; read again from storage, the file's structure alone."""
    uploaded = io.BytesIO(content)
    uploaded.name = name
    uploaded.size = len(content)
    try:
        (check_workbook_upload if uploaded_now else check_workbook_file)(uploaded)
        return [
            (number, "" if code is None else str(code).strip().upper(), "" if label is None else str(label).strip())
            for number, (code, label) in read_table(uploaded, HIGH_GROWTH_HEADERS, max_rows=MAX_HIGH_GROWTH_ROWS)
        ]
    except WorkbookRefused as refusal:
        raise DomainError(str(refusal), code="file") from None


def _current_list() -> tuple[set[int], set[int]]:
    """(ids with an open listing, ids on the list now: listed or flagged)."""
    listed = set(HighGrowthListing.objects.filter(delisted_on__isnull=True).values_list("organisation_id", flat=True))
    flagged = set(Organisation.objects.filter(is_high_growth=True).values_list("pk", flat=True))
    return listed, listed | flagged


def _entry(organisation) -> dict:
    return {"id": organisation.pk, "name": organisation.name, "credit_code": organisation.credit_code}


def _high_growth_diff(rows) -> dict:
    """The difference between the file (the complete list) and the current list, and every row
    error in Chinese: an ill-formed or unknown credit code, a row that is not a verified company,
    a company listed twice."""
    errors = []
    wanted: dict[int, Organisation] = {}
    codes = [code for _number, code, _label in rows if code]
    found = {}
    for start in range(0, len(codes), 5000):
        for organisation in Organisation.objects.filter(credit_code__in=codes[start : start + 5000]):
            found[organisation.credit_code] = organisation
    seen_codes: dict[str, int] = {}
    for number, code, _label in rows:
        if not code:
            errors.append({"row": number, "message": _("缺少统一社会信用代码。")})
            continue
        try:
            validate_credit_code(code)
        except ValidationError as error:
            errors.append({"row": number, "message": f"{code[:30]}：{error.messages[0]}"})
            continue
        if code in seen_codes:
            errors.append(
                {
                    "row": number,
                    "message": _("%(code)s 与第 %(first)d 行重复。") % {"code": code, "first": seen_codes[code]},
                }
            )
            continue
        seen_codes[code] = number
        organisation = found.get(code)
        if organisation is None:
            errors.append(
                {"row": number, "message": _("%(code)s：平台中没有该统一社会信用代码的机构。") % {"code": code}}
            )
            continue
        if organisation.kind != OrganisationKind.COMPANY:
            errors.append({"row": number, "message": _("%(name)s 不是企业，不能列入。") % {"name": organisation.name}})
            continue
        if organisation.verification_status != VerificationStatus.VERIFIED:
            errors.append(
                {"row": number, "message": _("%(name)s 尚未通过认证，不能列入。") % {"name": organisation.name}}
            )
            continue
        wanted[organisation.pk] = organisation
    listed, current = _current_list()
    others = {o.pk: o for o in Organisation.objects.filter(pk__in=current - set(wanted)).order_by("name")}
    by_name = lambda entries: sorted(entries, key=lambda entry: (entry["name"], entry["id"]))  # noqa: E731
    return {
        "added": by_name([_entry(o) for pk, o in wanted.items() if pk not in listed]),
        "removed": by_name([_entry(o) for o in others.values()]),
        "unchanged": by_name([_entry(o) for pk, o in wanted.items() if pk in listed]),
        "errors": errors,
    }


@transaction.atomic
def high_growth_import_check(*, actor, uploaded) -> HighGrowthImport:
    """The dry run: check the uploaded workbook (the complete list) and store the difference
    against the current list. Changes no flag and no listing. Side effects: the stored file and
    its HighGrowthImport (state checked)."""
    _require_operator(actor)
    if uploaded is None:
        raise DomainError(_("请选择要上传的 Excel 文件。"), code="file")
    content = uploaded.read(10 * 1024 * 1024 + 1)
    name = (getattr(uploaded, "name", "") or "")[:200]
    rows = _read_high_growth_rows(content, name, uploaded_now=True)
    if not rows:
        raise DomainError(_("文件中没有企业。名单不能为空，请使用导入模板填写完整名单。"), code="empty")
    upload = HighGrowthImport(file_name=name, uploaded_by=actor, diff=_high_growth_diff(rows))
    upload.file.save(name.rsplit("/", 1)[-1] or "high-growth.xlsx", ContentFile(content), save=False)
    upload.save()
    return upload


def _ids(entries) -> list[int]:
    return sorted(entry["id"] for entry in entries)


@transaction.atomic
def high_growth_import_apply(*, actor, upload: HighGrowthImport) -> HighGrowthImport:
    """An operator applies a checked list, in one transaction: the file is checked again against
    the list as it is now (refused if the difference has changed since the dry run, or if any row
    has an error); added companies are listed from today and flagged, removed ones are delisted
    from today and their flag cleared. Side effects: listings, flags, an audit record, a message
    to the uploader."""
    _require_operator(actor)
    upload = HighGrowthImport.objects.select_for_update().get(pk=upload.pk)
    if upload.state != HighGrowthImportState.CHECKED:
        raise DomainError(_("该名单已生效，不能重复导入。"), code="applied")
    # Serialise concurrent applies: whoever comes second sees the list the first one left.
    list(Organisation.objects.select_for_update().filter(is_high_growth=True).values_list("pk", flat=True))
    upload.file.open("rb")
    try:
        content = upload.file.read()
    finally:
        upload.file.close()
    diff = _high_growth_diff(_read_high_growth_rows(content, upload.file_name))
    if diff["errors"]:
        raise DomainError(_("文件中有 %(n)d 行错误，请修正后重新上传。") % {"n": len(diff["errors"])}, code="errors")
    if any(_ids(diff[key]) != _ids(upload.diff.get(key, [])) for key in ("added", "removed", "unchanged")):
        raise DomainError(_("试导入之后名单已发生变化，请重新上传文件核对差异。"), code="stale")
    today = timezone.localdate()
    added, removed = _ids(diff["added"]), _ids(diff["removed"])
    HighGrowthListing.objects.filter(organisation_id__in=removed, delisted_on__isnull=True).update(delisted_on=today)
    HighGrowthListing.objects.bulk_create(
        [HighGrowthListing(organisation_id=pk, listed_on=today, source=upload) for pk in added]
    )
    Organisation.objects.filter(pk__in=removed).update(is_high_growth=False)
    Organisation.objects.filter(pk__in=added + _ids(diff["unchanged"])).update(is_high_growth=True)
    transaction.on_commit(lambda: models_changed("accounts.Organisation", "steering.HighGrowthListing"))
    upload.state = HighGrowthImportState.APPLIED
    upload.applied_by = actor
    upload.applied_at = timezone.now()
    upload.save(update_fields=["state", "applied_by", "applied_at"])
    audit_record(
        actor=actor,
        action="steering.high_growth.apply",
        target=upload,
        before={"listed": len(removed) + len(diff["unchanged"])},
        after={
            "listed": len(added) + len(diff["unchanged"]),
            "added": [entry["credit_code"] for entry in diff["added"]],
            "removed": [entry["credit_code"] for entry in diff["removed"]],
            "effective_on": today.isoformat(),
        },
    )
    if upload.uploaded_by_id != actor.pk:
        notify(
            recipients=[upload.uploaded_by],
            title=Message(
                gettext_noop("高成长性科技企业名单已生效：新增 %(a)d 家，移出 %(r)d 家"), a=len(added), r=len(removed)
            ),
            link=reverse("steering:high-growth-import", args=[upload.pk]),
        )
    return upload
