"""Typical cases (典型案例) and replications (复制推广).

Every read of evaluation used by pages, the API and other apps, scoped to the user."""

import datetime
import zoneinfo

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from core.models import AuditRecord
from evaluation.choices import FrameworkStatus
from evaluation.models import (
    Indicator,
    SubjectOrganisation,
    SubjectResult,
)


def _published_result_prefetch():

    return Prefetch(
        "subject__results", queryset=SubjectResult.objects.filter(is_published=True), to_attr="published_results"
    )


def cases_public(*, level: str = "", year=None, domain=None) -> QuerySet:
    """Approved typical cases (the public list), newest decision first, filtered by the round's
    level and year and the scenario's (or the subject's) domain; each with its scenario, supplier,
    round and the number of verified replications."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import TypicalCase

    cases = (
        TypicalCase.objects.filter(status=CaseStatus.APPROVED)
        .select_related("subject__round", "subject__scenario__domain__parent", "subject__domain__parent", "supplier")
        .annotate(
            verified_replications=Count(
                "replications", filter=Q(replications__status=ReplicationStatus.VERIFIED), distinct=True
            )
        )
        .order_by("-decided_at", "-id")
    )
    if level:
        cases = cases.filter(subject__round__level=level)
    if year:
        cases = cases.filter(subject__round__year=year)
    if domain:
        cases = cases.filter(Q(subject__scenario__domain=domain) | Q(subject__domain=domain))
    return cases


def cases_visible_to(user) -> QuerySet:
    """Operators: every case; a working user of a subject's organisation: that subject's cases
    in any status; everyone else (anonymous included): approved cases."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase
    from evaluation.permissions import WORKING_ROLES, may_decide_cases

    cases = TypicalCase.objects.select_related(
        "subject__round", "subject__scenario__publisher", "subject__domain", "supplier", "decided_by"
    ).prefetch_related(
        Prefetch("subject__subject_organisations", SubjectOrganisation.objects.select_related("organisation")),
        _published_result_prefetch(),
    )
    if may_decide_cases(user):
        return cases
    visible = Q(status=CaseStatus.APPROVED)
    if user.is_authenticated and user.organisation_id and any(user.has_role(role) for role in WORKING_ROLES):
        visible |= Q(subject__subject_organisations__organisation_id=user.organisation_id)
    return cases.filter(visible).distinct()


def case_queue() -> QuerySet:
    """Operators' decision queue: proposed and asked-for-more cases, oldest proposal first."""
    from evaluation.choices import CaseStatus
    from evaluation.models import TypicalCase

    return (
        TypicalCase.objects.filter(status__in=[CaseStatus.PROPOSED, CaseStatus.MORE_INFO])
        .select_related("subject__round", "subject__scenario", "supplier")
        .order_by("proposed_at", "id")
    )


def case_replications_verified(case) -> QuerySet:
    """The verified replications of a case as its public page lists them (adopter, kind, date)."""
    from evaluation.choices import ReplicationStatus

    return (
        case.replications.filter(status=ReplicationStatus.VERIFIED)
        .select_related("adopter", "scenario")
        .order_by("verified_at", "id")
    )


def benefit_dimension_names() -> list[str]:
    """The first-tier indicator names of the published frameworks: the names the nomination rule's
    benefit dimension may take."""
    names = Indicator.objects.filter(tier=1, framework__status=FrameworkStatus.PUBLISHED).values_list("name", flat=True)
    return sorted(set(names))


def nomination_rules() -> QuerySet:
    """Every typical-case nomination rule, the one in force (the newest) first, with its author."""
    from evaluation.models import CaseNominationRule

    return CaseNominationRule.objects.select_related("created_by").order_by("-created_at", "-id")


def with_change_reasons(rules) -> list:
    """The rules, each with `reason`: the one its audit record gives (one query for them all)."""
    from evaluation.models import CaseNominationRule

    rules = list(rules)
    reasons = dict(
        AuditRecord.objects.filter(
            action="evaluation.nomination_rule.change",
            object_type=CaseNominationRule._meta.label_lower,
            object_id__in=[str(rule.pk) for rule in rules],
        ).values_list("object_id", "reason")
    )
    for rule in rules:
        rule.reason = reasons.get(str(rule.pk), "")
    return rules


def replications_visible_to(user) -> QuerySet:
    """Operators: every replication; others: those their own organisation recorded as adopter."""
    from evaluation.models import Replication
    from evaluation.permissions import may_decide_cases

    replications = Replication.objects.select_related("case", "adopter", "scenario", "recorded_by", "verified_by")
    if may_decide_cases(user):
        return replications
    if not (user.is_authenticated and user.organisation_id):
        return replications.none()
    return replications.filter(adopter_id=user.organisation_id)


def replication_queue() -> QuerySet:
    """Operators' verification queue: pending replications, oldest first."""
    from evaluation.choices import ReplicationStatus
    from evaluation.models import Replication

    return (
        Replication.objects.filter(status=ReplicationStatus.PENDING)
        .select_related("case", "adopter", "scenario", "recorded_by")
        .order_by("recorded_at", "id")
    )


def replications_counted(*, year: int | None = None, district=None) -> QuerySet:
    """The replications that count towards the 十百千 "100 复制推广" target. 口径 (counting rule):

    1. only replications an operator has verified (status verified; pending and rejected ones do
       not count), of typical cases that are approved;
    2. one adopting organisation counts once per case: of several verified replications by the
       same adopter of the same case, only the first verified (earliest verified_at, then lowest
       id) is counted — two organisations adopting one case count twice, one organisation adopting
       two cases counts twice;
    3. the year is that of the counted replication's verified_at in Asia/Shanghai (1 January 00:00
       to 31 December 24:00 Beijing time);
    4. the district is the adopting organisation's district (accounts.Organisation.district).

    Returns the counted Replication rows themselves (so the number drills down to its records):
    `.count()` is the figure."""
    from evaluation.choices import CaseStatus, ReplicationStatus
    from evaluation.models import Replication

    verified = Replication.objects.filter(status=ReplicationStatus.VERIFIED, case__status=CaseStatus.APPROVED)
    earlier = verified.filter(case_id=OuterRef("case_id"), adopter_id=OuterRef("adopter_id")).filter(
        Q(verified_at__lt=OuterRef("verified_at")) | Q(verified_at=OuterRef("verified_at"), id__lt=OuterRef("id"))
    )
    counted = verified.filter(~Exists(earlier)).select_related("case", "adopter__district", "scenario")
    if year:
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        start = datetime.datetime(int(year), 1, 1, tzinfo=shanghai)
        end = datetime.datetime(int(year) + 1, 1, 1, tzinfo=shanghai)
        counted = counted.filter(verified_at__gte=start, verified_at__lt=end)
    if district:
        counted = counted.filter(adopter__district_id=getattr(district, "pk", district))
    return counted.order_by("verified_at", "id")
