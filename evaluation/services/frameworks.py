"""评价指标体系: drafts and their indicators and grade bands, publishing (validated as a whole), the
difference between two versions, and the figures of computed and imported indicators.

A published framework is immutable: every service here refuses to change one, and a change is a
new draft version based on it (framework_draft_create), whose indicators keep their codes so the
difference reads by code. Operators only."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError
from core.services import audit_record, snapshot
from evaluation.choices import FigureSource, FrameworkStatus, Level, ScoringMethod
from evaluation.indicator_rules import LOWER, rule_for
from evaluation.models import Framework, GradeBand, Indicator, IndicatorFigure, Subject
from evaluation.permissions import require_framework_manager

HUNDRED = Decimal("100")
INDICATOR_FIELDS = [
    "code",
    "name",
    "definition",
    "weight",
    "method",
    "max_points",
    "rule",
    "target",
    "evidence_required",
    "is_red_line",
]
EDITABLE_FIELDS = frozenset(INDICATOR_FIELDS) - {"code"}
DEFAULT_BANDS = [("优", Decimal("90")), ("良", Decimal("80")), ("中", Decimal("60")), ("差", Decimal("0"))]
MAX_TIER = 3


# ---- helpers ----------------------------------------------------------------------------------


def _decimal(value, *, label: str, places: str = "0.01") -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("%(label)s应为数字。") % {"label": label}, code="number") from None
    if not number.is_finite():
        raise DomainError(_("%(label)s应为数字。") % {"label": label}, code="number")
    if number != number.quantize(Decimal(places)):
        raise DomainError(
            _("%(label)s最多保留 %(places)d 位小数。") % {"label": label, "places": len(places) - 2}, code="number"
        )
    return number


def _locked_draft(framework: Framework) -> Framework:
    """The framework's row, locked; refused when it is published (a published version never changes)."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise DomainError(_("已发布的指标体系不能修改；如需调整，请新建修订版本。"), code="framework_published")
    return framework


def _indicator_snapshot(indicator: Indicator) -> dict:
    return snapshot(indicator, INDICATOR_FIELDS)


def _fmt(value) -> str:
    return "—" if value is None or value == "" else str(value)


def framework_tree(indicators) -> tuple[list, dict]:
    """(first-tier indicators, {indicator id: children}) of a list of indicators, in position order."""
    ordered = sorted(indicators, key=lambda item: (item.position, item.id))
    children: dict[int, list] = {}
    roots = []
    for item in ordered:
        if item.parent_id is None:
            roots.append(item)
        else:
            children.setdefault(item.parent_id, []).append(item)
    return roots, children


def _clean_indicator(framework: Framework, values: dict) -> dict:
    """Check one indicator's own fields (the tree as a whole is checked on publish)."""
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"] or "").strip()
        if not cleaned["name"] or len(cleaned["name"]) > 60:
            raise DomainError(_("指标名称不能为空，且不超过 60 个字。"), code="name")
    if "definition" in cleaned:
        cleaned["definition"] = str(cleaned["definition"] or "").strip()
        if len(cleaned["definition"]) > 500:
            raise DomainError(_("指标解释不能超过 500 个字。"), code="definition")
    if "weight" in cleaned:
        cleaned["weight"] = _decimal(cleaned["weight"], label=_("权重"))
        if not Decimal("0") < cleaned["weight"] <= HUNDRED:
            raise DomainError(_("权重应大于 0 且不超过 100。"), code="weight")
    if "max_points" in cleaned:
        cleaned["max_points"] = _decimal(cleaned["max_points"], label=_("满分"), places="0.1")
        if not Decimal("0") < cleaned["max_points"] <= HUNDRED or cleaned["max_points"] % Decimal("0.5"):
            raise DomainError(_("满分应在 0.5–100 之间，以 0.5 分为单位。"), code="max_points")
    if "method" in cleaned and cleaned["method"] not in ScoringMethod.values:
        raise DomainError(_("评分方式无效。"), code="method")
    if "rule" in cleaned:
        cleaned["rule"] = str(cleaned["rule"] or "").strip()
        rule = rule_for(cleaned["rule"])
        if cleaned["rule"] and (rule is None or framework.level not in rule.levels):
            raise DomainError(_("计算规则“%(rule)s”不存在或不适用于本层级。") % {"rule": cleaned["rule"]}, code="rule")
    if "target" in cleaned:
        if cleaned["target"] in (None, ""):
            cleaned["target"] = None
        else:
            cleaned["target"] = _decimal(cleaned["target"], label=_("满分目标值"))
            if cleaned["target"] <= 0:
                raise DomainError(_("满分目标值应大于 0。"), code="target")
    for flag in ("evidence_required", "is_red_line"):
        if flag in cleaned:
            cleaned[flag] = bool(cleaned[flag])
    return cleaned


def _settle_method(indicator: Indicator) -> None:
    """An expert-scored indicator has no rule or target; an imported one no rule."""
    if indicator.method != ScoringMethod.COMPUTED:
        indicator.rule = ""
    if indicator.method == ScoringMethod.EXPERT:
        indicator.target = None


# ---- validation -------------------------------------------------------------------------------


def _parent_label(parent: Indicator | None) -> str:
    return _("一级指标") if parent is None else _("“%(name)s”下的指标") % {"name": parent.name}


def framework_problems(framework: Framework, *, indicators=None, bands=None) -> list[str]:
    """Everything that stops the framework from being published, in Chinese, in tree order (empty:
    it may be published). Reads the indicators and bands unless given."""
    indicators = list(framework.indicators.all()) if indicators is None else list(indicators)
    bands = list(framework.grade_bands.all()) if bands is None else list(bands)
    problems: list[str] = []
    if not indicators:
        problems.append(_("指标体系中还没有指标。"))
    roots, children = framework_tree(indicators)

    def check_siblings(parent, siblings):
        if not siblings:
            return
        total = sum((item.weight for item in siblings), Decimal("0"))
        if total != HUNDRED:
            problems.append(
                _("%(where)s权重合计为 %(total)s，应为 100。")
                % {"where": _parent_label(parent), "total": total.quantize(Decimal("0.01"))}
            )
        for item in siblings:
            check_node(item)

    def check_node(item):
        kids = children.get(item.pk, [])
        label = f"{item.code} {item.name}"
        if item.tier > MAX_TIER:
            problems.append(_("“%(label)s”超过三级。") % {"label": label})
        if kids:
            if item.is_red_line:
                problems.append(_("“%(label)s”不是末级指标，不能设为红线指标。") % {"label": label})
            check_siblings(item, kids)
            return
        if item.method == ScoringMethod.COMPUTED:
            rule = rule_for(item.rule)
            if rule is None or framework.level not in rule.levels:
                problems.append(_("“%(label)s”为系统计算指标，须选择适用的计算规则。") % {"label": label})
            if item.target is None or item.target <= 0:
                problems.append(_("“%(label)s”为系统计算指标，须填写满分目标值。") % {"label": label})
        elif item.method == ScoringMethod.IMPORTED and (item.target is None or item.target <= 0):
            problems.append(_("“%(label)s”为导入数据指标，须填写满分目标值。") % {"label": label})

    check_siblings(None, roots)
    problems.extend(bands_problems([(band.name, band.min_total, band.is_lowest) for band in bands]))
    return problems


def bands_problems(bands: list[tuple]) -> list[str]:
    """(name, min_total, is_lowest) rows: names unique and present, thresholds 0–100 and distinct,
    exactly one lowest band, and it starts at 0 so every total has a grade."""
    problems = []
    if not bands:
        return [_("须设置评价等级。")]
    names = [str(name or "").strip() for name, _minimum, _lowest in bands]
    if any(not name or len(name) > 10 for name in names):
        problems.append(_("等级名称不能为空，且不超过 10 个字。"))
    if len(set(names)) != len(names):
        problems.append(_("等级名称不能重复。"))
    thresholds = [minimum for _name, minimum, _lowest in bands]
    if any(minimum is None or not Decimal("0") <= minimum <= HUNDRED for minimum in thresholds):
        problems.append(_("等级的最低总分应在 0–100 之间。"))
    elif len(set(thresholds)) != len(thresholds):
        problems.append(_("各等级的最低总分不能相同。"))
    lowest = [(name, minimum) for name, minimum, is_lowest in bands if is_lowest]
    if len(lowest) != 1:
        problems.append(_("须有且只有一个最低等级（触及红线时封顶的等级）。"))
    elif lowest[0][1] != 0:
        problems.append(_("最低等级“%(name)s”的最低总分应为 0。") % {"name": lowest[0][0]})
    return problems


# ---- drafts -----------------------------------------------------------------------------------


@transaction.atomic
def framework_draft_create(
    *, actor: User, level: str, based_on: Framework | None = None, change_note: str = ""
) -> Framework:
    """Start the next version of a level's framework as a draft: a copy of `based_on` (a published
    version of the same level: its indicators with their codes, and its grade bands), or an empty
    tree with the default bands. One draft per level.

    Side effects: the draft, its indicators and bands created; an audit record."""
    require_framework_manager(actor)
    if level not in Level.values:
        raise DomainError(_("评价层级无效。"), code="level")
    change_note = str(change_note or "").strip()
    if len(change_note) > 500:
        raise DomainError(_("修订说明不能超过 500 个字。"), code="change_note")
    if based_on is not None:
        based_on = Framework.objects.get(pk=based_on.pk)
        if based_on.level != level or not based_on.is_published:
            raise DomainError(_("只能基于本层级已发布的版本新建修订版本。"), code="based_on")
    # Serialise drafts of a level on the level's existing rows (the unique constraint is the backstop).
    existing = list(Framework.objects.select_for_update().filter(level=level).values_list("version", "status"))
    if any(status == FrameworkStatus.DRAFT for _version, status in existing):
        raise DomainError(_("该层级已有一个草稿版本，请先完成或删除它。"), code="draft_exists")
    version = max((version for version, _status in existing), default=0) + 1
    framework = Framework.objects.create(
        level=level,
        version=version,
        name=based_on.name if based_on else _("%(level)s场景应用评价指标体系") % {"level": Level(level).label},
        status=FrameworkStatus.DRAFT,
        based_on=based_on,
        change_note=change_note,
        created_by=actor,
    )
    if based_on is not None:
        old_roots, old_children = framework_tree(based_on.indicators.all())

        def copy(items, parent):
            for item in items:
                clone = Indicator.objects.create(
                    framework=framework,
                    parent=parent,
                    tier=item.tier,
                    position=item.position,
                    **{name: getattr(item, name) for name in INDICATOR_FIELDS},
                )
                copy(old_children.get(item.pk, []), clone)

        copy(old_roots, None)
        GradeBand.objects.bulk_create(
            [
                GradeBand(framework=framework, name=band.name, min_total=band.min_total, is_lowest=band.is_lowest)
                for band in based_on.grade_bands.all()
            ]
        )
    else:
        GradeBand.objects.bulk_create(
            [
                GradeBand(framework=framework, name=name, min_total=minimum, is_lowest=minimum == 0)
                for name, minimum in DEFAULT_BANDS
            ]
        )
    audit_record(
        actor=actor,
        action="evaluation.framework.draft_create",
        target=framework,
        after={"level": level, "version": version, "based_on": based_on.pk if based_on else None},
        reason=change_note,
    )
    return framework


@transaction.atomic
def framework_draft_delete(*, actor: User, framework: Framework) -> None:
    """Discard a draft (never a published version).

    Side effects: the draft with its indicators and bands deleted; an audit record."""
    require_framework_manager(actor)
    framework = _locked_draft(framework)
    audit_record(
        actor=actor,
        action="evaluation.framework.draft_delete",
        target=framework,
        before={"level": framework.level, "version": framework.version, "indicators": framework.indicators.count()},
    )
    framework.delete()


def _next_code(framework: Framework, parent: Indicator | None) -> str:
    """The next code under the parent: one more than any sibling's number in this draft or in the
    version it is based on, so a deleted indicator's code is never given to a different one."""
    prefix = f"{parent.code}." if parent else ""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    codes = list(Indicator.objects.filter(framework=framework, parent=parent).values_list("code", flat=True))
    if framework.based_on_id:
        codes += list(Indicator.objects.filter(framework_id=framework.based_on_id).values_list("code", flat=True))
    numbers = [int(match.group(1)) for code in codes if (match := pattern.match(code))]
    return f"{prefix}{max(numbers, default=0) + 1}"


@transaction.atomic
def indicator_add(
    *,
    actor: User,
    framework: Framework,
    parent: Indicator | None = None,
    name: str,
    weight,
    definition: str = "",
    method: str = ScoringMethod.EXPERT,
    max_points="10",
    rule: str = "",
    target=None,
    evidence_required: bool = False,
    is_red_line: bool = False,
) -> Indicator:
    """Add an indicator to a draft, at the end of its parent's children (or of the first tier). Its
    tier is its parent's plus one (at most three); its code is the parent's code and the next number
    ("2.1.3"), stable across versions.

    Side effects: the indicator created; an audit record."""
    require_framework_manager(actor)
    framework = _locked_draft(framework)
    if parent is not None:
        parent = Indicator.objects.filter(pk=parent.pk, framework=framework).first()
        if parent is None:
            raise DomainError(_("上级指标不属于本指标体系。"), code="parent")
        if parent.tier >= MAX_TIER:
            raise DomainError(_("指标最多三级，不能在三级指标下再增加指标。"), code="tier")
    values = _clean_indicator(
        framework,
        {
            "name": name,
            "definition": definition,
            "weight": weight,
            "method": method,
            "max_points": max_points,
            "rule": rule,
            "target": target,
            "evidence_required": evidence_required,
            "is_red_line": is_red_line,
        },
    )
    position = (
        Indicator.objects.filter(framework=framework, parent=parent).aggregate(last=Max("position"))["last"] or 0
    ) + 1
    indicator = Indicator(
        framework=framework,
        parent=parent,
        tier=parent.tier + 1 if parent else 1,
        code=_next_code(framework, parent),
        position=position,
        **values,
    )
    _settle_method(indicator)
    indicator.save()
    audit_record(actor=actor, action="evaluation.indicator.add", target=indicator, after=_indicator_snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, **changes) -> Indicator:
    """Change an indicator of a draft: name, definition, weight, method, max_points, rule, target,
    evidence_required, is_red_line (its code, tier and parent stay).

    Side effects: the indicator saved; an audit record with it before and after."""
    require_framework_manager(actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("不能修改这些字段：%(fields)s。") % {"fields": "、".join(sorted(unknown))}, code="fields")
    framework = _locked_draft(indicator.framework)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, framework=framework)
    before = _indicator_snapshot(indicator)
    for name, value in _clean_indicator(framework, changes).items():
        setattr(indicator, name, value)
    _settle_method(indicator)
    indicator.save()
    audit_record(
        actor=actor,
        action="evaluation.indicator.update",
        target=indicator,
        before=before,
        after=_indicator_snapshot(indicator),
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    """Delete an indicator of a draft with everything below it.

    Side effects: the indicator and its descendants deleted; an audit record listing them."""
    require_framework_manager(actor)
    framework = _locked_draft(indicator.framework)
    indicator = Indicator.objects.get(pk=indicator.pk, framework=framework)
    removed = list(
        Indicator.objects.filter(framework=framework, code__startswith=f"{indicator.code}.").values_list(
            "code", flat=True
        )
    )
    audit_record(
        actor=actor,
        action="evaluation.indicator.delete",
        target=framework,
        before={**_indicator_snapshot(indicator), "descendants": removed},
    )
    indicator.delete()


@transaction.atomic
def grade_bands_set(*, actor: User, framework: Framework, bands: list[dict]) -> list[GradeBand]:
    """Replace a draft's grade bands: rows of {name, min_total, is_lowest?}. Names unique, thresholds
    0–100 and distinct, one lowest band (when none is marked, the one with the smallest threshold),
    starting at 0.

    Side effects: the bands replaced; an audit record before and after."""
    require_framework_manager(actor)
    framework = _locked_draft(framework)
    rows = []
    for band in bands:
        name = str(band.get("name") or "").strip()
        minimum = _decimal(band.get("min_total"), label=_("最低总分"))
        rows.append([name, minimum, bool(band.get("is_lowest"))])
    if rows and not any(row[2] for row in rows):
        min(rows, key=lambda row: row[1])[2] = True
    problems = bands_problems([tuple(row) for row in rows])
    if problems:
        raise DomainError("".join(problems), code="bands")
    before = [[band.name, band.min_total, band.is_lowest] for band in framework.grade_bands.all()]
    framework.grade_bands.all().delete()
    created = GradeBand.objects.bulk_create(
        [
            GradeBand(framework=framework, name=name, min_total=minimum, is_lowest=lowest)
            for name, minimum, lowest in rows
        ]
    )
    audit_record(
        actor=actor,
        action="evaluation.framework.bands_set",
        target=framework,
        before={"bands": before},
        after={"bands": rows},
    )
    return created


@transaction.atomic
def framework_publish(*, actor: User, framework: Framework) -> Framework:
    """Publish a draft after checking it as a whole (framework_problems): siblings' weights sum to
    exactly 100 at every level of the tree, computed leaves have a rule of the level and a target,
    imported leaves a target, red lines only on leaves, and the grade bands. Refused with every
    problem named, nothing stored. From then on the version is immutable and rounds may use it.

    Side effects: the framework published; an audit record."""
    require_framework_manager(actor)
    framework = _locked_draft(framework)
    problems = framework_problems(framework)
    if problems:
        raise DomainError("".join(problems), code="framework_invalid")
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_by = actor
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_by", "published_at"])
    audit_record(
        actor=actor,
        action="evaluation.framework.publish",
        target=framework,
        before={"status": FrameworkStatus.DRAFT},
        after={
            "status": FrameworkStatus.PUBLISHED,
            "version": framework.version,
            "diff": framework_diff_texts(framework),
        },
        reason=framework.change_note,
    )
    return framework


# ---- the difference between two versions ----------------------------------------------------


def framework_diff(old: Framework | None, new: Framework) -> list[dict]:
    """What changed from `old` to `new`, by indicator code, then the grade bands: a list of
    {"code", "kind", "text"} in code order; kind is one of added, removed, renamed, weight, method,
    rule, target, max_points, evidence, red_line, definition, band. Empty when nothing changed."""
    if old is None:
        return []
    method_labels = dict(ScoringMethod.choices)

    def rule_label(code):
        rule = rule_for(code)
        return str(rule.label) if rule else (code or "—")

    def key(code):
        return [int(part) if part.isdigit() else part for part in code.split(".")]

    before = {item.code: item for item in old.indicators.all()}
    after = {item.code: item for item in new.indicators.all()}
    changes = []
    for code in sorted(set(before) | set(after), key=key):
        was, now = before.get(code), after.get(code)
        if was is None:
            changes.append(
                {
                    "code": code,
                    "kind": "added",
                    "text": _("新增 %(code)s %(name)s（权重 %(weight)s，%(method)s）")
                    % {"code": code, "name": now.name, "weight": now.weight, "method": method_labels[now.method]},
                }
            )
            continue
        if now is None:
            changes.append(
                {
                    "code": code,
                    "kind": "removed",
                    "text": _("删除 %(code)s %(name)s") % {"code": code, "name": was.name},
                }
            )
            continue
        label = f"{code} {now.name}"

        def add(kind, text, values, label=label, code=code):
            changes.append({"code": code, "kind": kind, "text": f"{label}：" + text % values})

        if was.name != now.name:
            changes.append(
                {
                    "code": code,
                    "kind": "renamed",
                    "text": _("%(code)s 更名：%(old)s → %(new)s") % {"code": code, "old": was.name, "new": now.name},
                }
            )
        if was.weight != now.weight:
            add("weight", _("权重 %(old)s → %(new)s"), {"old": was.weight, "new": now.weight})
        if was.method != now.method:
            add(
                "method",
                _("评分方式 %(old)s → %(new)s"),
                {"old": method_labels[was.method], "new": method_labels[now.method]},
            )
        if was.rule != now.rule and (was.rule or now.rule):
            add("rule", _("计算规则 %(old)s → %(new)s"), {"old": rule_label(was.rule), "new": rule_label(now.rule)})
        if was.target != now.target:
            add("target", _("满分目标值 %(old)s → %(new)s"), {"old": _fmt(was.target), "new": _fmt(now.target)})
        if was.max_points != now.max_points:
            add("max_points", _("满分 %(old)s → %(new)s"), {"old": was.max_points, "new": now.max_points})
        if was.evidence_required != now.evidence_required:
            add(
                "evidence",
                "%(what)s",
                {"what": _("改为须提供佐证材料") if now.evidence_required else _("改为无须佐证材料")},
            )
        if was.is_red_line != now.is_red_line:
            add("red_line", "%(what)s", {"what": _("设为红线指标") if now.is_red_line else _("取消红线指标")})
        if was.definition != now.definition:
            add("definition", _("指标解释 “%(old)s” → “%(new)s”"), {"old": was.definition, "new": now.definition})
    old_bands = {band.name: band for band in old.grade_bands.all()}
    new_bands = {band.name: band for band in new.grade_bands.all()}
    for name in sorted(set(old_bands) | set(new_bands), key=lambda n: -(new_bands.get(n) or old_bands[n]).min_total):
        was, now = old_bands.get(name), new_bands.get(name)
        if was is None:
            text = _("新增等级“%(name)s”（≥ %(min)s）") % {"name": name, "min": now.min_total}
        elif now is None:
            text = _("删除等级“%(name)s”") % {"name": name}
        elif was.min_total != now.min_total or was.is_lowest != now.is_lowest:
            text = _("等级“%(name)s”最低总分 %(old)s → %(new)s") % {
                "name": name,
                "old": was.min_total,
                "new": now.min_total,
            }
        else:
            continue
        changes.append({"code": "", "kind": "band", "text": text})
    return changes


def framework_diff_texts(framework: Framework) -> list[str]:
    """The readable changes of a version against the one it is based on."""
    if framework.based_on_id is None:
        return []
    return [change["text"] for change in framework_diff(framework.based_on, framework)]


# ---- figures of computed and imported indicators --------------------------------------------


def figure_points(indicator: Indicator, value: Decimal, *, better: str = "higher") -> Decimal:
    """Points of a figure: min(value / target, 1) × max_points (for a rule where less is better,
    max(1 − value / target, 0) × max_points), half-up to 0.1."""
    if not indicator.target or indicator.target <= 0:
        return Decimal("0.0")
    share = min(max(Decimal(value) / indicator.target, Decimal("0")), Decimal("1"))
    if better == LOWER:
        share = Decimal("1") - share
    return (share * indicator.max_points).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _require_open_round(subject: Subject) -> Subject:
    subject = Subject.objects.select_related("round__framework").get(pk=subject.pk)
    if subject.round.is_closed:
        raise DomainError(_("评估轮次已结束，不能再修改指标数据。"), code="round_closed")
    return subject


def _leaves(framework: Framework) -> list[Indicator]:
    indicators = list(framework.indicators.all())
    parents = {item.parent_id for item in indicators}
    return [item for item in indicators if item.pk not in parents]


@transaction.atomic
def figures_compute(*, actor: User, subject: Subject) -> list[IndicatorFigure]:
    """Compute every computed leaf of the subject's round framework from the portal's records (the
    rule of evaluation.indicator_rules for the round's year) and keep the figure with what it counted.

    Side effects: IndicatorFigure rows created or replaced (source computed); an audit record with
    the values and points."""
    require_framework_manager(actor)
    subject = _require_open_round(subject)
    round_ = subject.round
    figures, values = [], {}
    for indicator in _leaves(round_.framework):
        if indicator.method != ScoringMethod.COMPUTED:
            continue
        rule = rule_for(indicator.rule)
        if rule is None:
            raise DomainError(_("“%(name)s”的计算规则不存在。") % {"name": indicator.name}, code="rule")
        result = rule.compute(subject, round_.year)
        points = figure_points(indicator, result.value, better=rule.better)
        figure, _created = IndicatorFigure.objects.update_or_create(
            subject=subject,
            indicator=indicator,
            defaults={
                "source": FigureSource.COMPUTED,
                "value": result.value,
                "points": points,
                "detail": {"rule": rule.code, "counted": result.counted, "note": result.note},
                "recorded_by": actor,
            },
        )
        figures.append(figure)
        values[indicator.code] = {"value": str(result.value), "points": str(points)}
    audit_record(actor=actor, action="evaluation.figure.compute", target=subject, after={"figures": values})
    return figures


@transaction.atomic
def figure_import(*, actor: User, subject: Subject, indicator: Indicator, value, note: str = "") -> IndicatorFigure:
    """Enter the figure of an imported leaf (e.g. 成本降低幅度 from the publisher's statement) for a
    subject of an open round; its points follow from the indicator's target.

    Side effects: the IndicatorFigure created or replaced (source imported); an audit record before
    and after."""
    require_framework_manager(actor)
    subject = _require_open_round(subject)
    if indicator.framework_id != subject.round.framework_id:
        raise DomainError(_("该指标不属于本轮评估的指标体系。"), code="indicator")
    if indicator.method != ScoringMethod.IMPORTED or indicator.children.exists():
        raise DomainError(_("只有导入数据的末级指标可以录入数值。"), code="method")
    value = _decimal(value, label=_("数值"))
    if value < 0:
        raise DomainError(_("数值不能为负数。"), code="value")
    note = str(note or "").strip()
    if len(note) > 500:
        raise DomainError(_("说明不能超过 500 个字。"), code="note")
    existing = IndicatorFigure.objects.filter(subject=subject, indicator=indicator).first()
    before = {"value": existing.value, "points": existing.points} if existing else None
    points = figure_points(indicator, value)
    figure, _created = IndicatorFigure.objects.update_or_create(
        subject=subject,
        indicator=indicator,
        defaults={
            "source": FigureSource.IMPORTED,
            "value": value,
            "points": points,
            "detail": {"rule": "", "counted": [], "note": note},
            "recorded_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="evaluation.figure.import",
        target=figure,
        before=before,
        after={"indicator": indicator.code, "value": value, "points": points},
        reason=note,
    )
    return figure
