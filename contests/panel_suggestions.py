"""The panel page's suggested judges: how well each judge's declared fields (JudgeProfile.fields)
fit the challenge's scenario, with the reasons in words, best first.

The 领域匹配 figure adds up what a person forming a panel would look for:
- the scenario's domain named among the judge's fields (交通 for a 交通 scenario): DOMAIN_SAME;
  otherwise its category or a sibling domain of the same category (城市治理, 智慧城管): DOMAIN_CATEGORY;
- each other field found in the scenario's own words (title, technology needs, need description,
  the challenge's requirements): FIELD_IN_SCENARIO;
- each other field that is a usual technology field of the scenario's domain (the matching
  engine's DomainFieldAffinity, which operators keep): FIELD_USUAL.
Fields are compared as the matching engine compares technology fields (matching.engine.text.
field_key: synonyms, case and spaces), so 号牌识别 counts for a need worded 车牌识别.
"""

from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import User
from contests.conflicts import panel_barred_judges
from matching.engine.text import field_key
from matching.models import DomainFieldAffinity
from scenarios.models import Domain

DOMAIN_SAME = Decimal("1")
DOMAIN_CATEGORY = Decimal("0.5")
FIELD_IN_SCENARIO = Decimal("0.5")
FIELD_USUAL = Decimal("0.25")
# A catch-all category groups fields that have nothing in common (会展旅游, 智慧政务 …): sharing
# it says nothing about a judge's fit.
CATCH_ALL_CATEGORIES = frozenset({"other"})
SHORTEST_WORD = 2  # a one-character field (“电”) would be found in any text


class Suggestion(NamedTuple):
    judge: User
    fit: Decimal  # the 领域匹配 figure
    load: int  # panels of this contest the judge already sits on
    reasons: list[str]  # what matched, in Chinese, one phrase each


class ScenarioTerms:
    """What of a challenge's scenario judges' fields are compared with, loaded in three queries."""

    def __init__(self, challenge):
        scenario = challenge.scenario
        domains = {domain.pk: domain for domain in Domain.objects.all()}
        self.domain = domains.get(scenario.domain_id)
        self.category = domains.get(self.domain.parent_id) if self.domain else None
        self.related = []  # (key, is the category itself): the category and the domains that share it
        if self.category is not None and self.category.code not in CATCH_ALL_CATEGORIES:
            self.related = [(field_key(self.category.name), True)] + [
                (field_key(domain.name), False)
                for domain in domains.values()
                if domain.parent_id == self.category.pk and domain.pk != self.domain.pk
            ]
        needs = list(scenario.need_items.all())
        # Where a field may be found, in the order a reason names the place first: each need by name.
        self.places = [
            (_("技术需求“%(need)s”") % {"need": item.name}, field_key(f"{item.name} {item.detail}")) for item in needs
        ] + [
            (_("场景名称"), field_key(f"{scenario.title} {challenge.title}")),
            (_("需求描述"), field_key(f"{scenario.summary} {scenario.need_description} {challenge.requirements}")),
        ]
        self.need_keys = [
            (_("技术需求“%(need)s”") % {"need": item.name}, field_key(item.name))
            for item in needs
            if len(field_key(item.name)) >= SHORTEST_WORD
        ]
        self.usual = (
            {row.key: row.field for row in DomainFieldAffinity.objects.filter(domain=self.domain) if row.in_use > 0}
            if self.domain
            else {}
        )

    def fit(self, fields: list[str]) -> tuple[Decimal, list[str]]:
        """The 领域匹配 figure of a judge's fields and each reason, in Chinese."""
        domain_part, domain_reason, rest = Decimal(0), None, []
        for field in dict.fromkeys(word.strip() for word in fields if word and word.strip()):
            key = field_key(field)
            if self.domain and _names(key, field_key(self.domain.name)):
                if domain_part < DOMAIN_SAME:
                    domain_part = DOMAIN_SAME
                    domain_reason = _("“%(field)s”对应场景领域“%(domain)s”（+%(points)s）") % {
                        "field": field,
                        "domain": self.domain.name,
                        "points": _points(DOMAIN_SAME),
                    }
                continue
            related = [is_category for name, is_category in self.related if _names(key, name)]
            if related:
                if domain_part < DOMAIN_CATEGORY:
                    domain_part = DOMAIN_CATEGORY
                    message = (
                        _("“%(field)s”是场景领域“%(domain)s”所属的大类（+%(points)s）")
                        if related[0]
                        else _("“%(field)s”与场景领域“%(domain)s”同属“%(category)s”大类（+%(points)s）")
                    )
                    domain_reason = message % {
                        "field": field,
                        "domain": self.domain.name,
                        "category": self.category.name,
                        "points": _points(DOMAIN_CATEGORY),
                    }
                continue
            rest.append((field, key))
        total, reasons = domain_part, [domain_reason] if domain_reason else []
        for field, key in rest:
            place = self._place_of(key)
            if place is not None:
                total += FIELD_IN_SCENARIO
                reasons.append(
                    _("“%(field)s”见于%(place)s（+%(points)s）")
                    % {"field": field, "place": place, "points": _points(FIELD_IN_SCENARIO)}
                )
            elif key in self.usual:
                total += FIELD_USUAL
                reasons.append(
                    _("“%(field)s”是%(domain)s场景的常用技术领域（+%(points)s）")
                    % {"field": field, "domain": self.domain.name, "points": _points(FIELD_USUAL)}
                )
        return total, reasons

    def _place_of(self, key: str) -> str | None:
        if len(key) < SHORTEST_WORD:
            return None
        for label, text in self.places:
            if key in text:
                return label
        # A field more specific than a need (车牌识别算法 for the need 车牌识别) counts too.
        return next((label for label, need in self.need_keys if need in key), None)


def _names(key: str, name: str) -> bool:
    """The field names the domain: the same words, or the domain's name inside it (智慧交通 → 交通)."""
    return len(name) >= SHORTEST_WORD and (key == name or name in key)


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


def suggest_judges(challenge, *, limit: int = 10) -> list[Suggestion]:
    """Judges of the pool not on the panel and without any conflict (they are left out, never
    shown), best fit first, then the least busy in this contest. Ten queries whatever the
    numbers of judges and entries; `challenge` comes with its scenario."""
    terms = ScenarioTerms(challenge)
    judges = list(
        User.objects.filter(role_assignments__role="judge", is_active=True)
        .exclude(panel_memberships__challenge=challenge)
        .select_related("judge_profile", "organisation")
        .annotate(
            workload=Count(
                "panel_memberships", filter=Q(panel_memberships__challenge__contest=challenge.contest), distinct=True
            )
        )
    )
    barred = panel_barred_judges(challenge, judges)
    suggestions = []
    for judge in judges:
        if judge.pk in barred:
            continue
        profile = getattr(judge, "judge_profile", None)
        fields = profile.fields if profile is not None else []
        fit, reasons = terms.fit(fields)
        if not fields:
            reasons = [_("未填写专业领域")]
        elif not reasons:
            reasons = [_("专业领域与本场景无交集")]
        suggestions.append(Suggestion(judge, fit, judge.workload, reasons))
    suggestions.sort(key=lambda row: (-row.fit, row.load, row.judge.pk))
    return suggestions[:limit]
