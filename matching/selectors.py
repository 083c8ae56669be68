"""Every read of matching: the stored matches scoped to the person (anything else is 404), the
active model, and how both sides answered."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import is_operator, organisation_acted_for
from capability_list.models import AgendaItem, Enquiry
from matching.choices import DeclineReason
from matching.models import Match, MatchFeedback, MatchingModel
from matching.permissions import can_see_suppliers


def _with_answers(matches: QuerySet[Match]) -> QuerySet[Match]:
    """Each side's answer to the pair (publisher_decision, publisher_reason, company_decision,
    company_reason), read in the same query."""

    def answer(side: str, field: str):
        return Subquery(
            MatchFeedback.objects.filter(
                scenario_id=OuterRef("scenario_id"), entry_id=OuterRef("entry_id"), side=side
            ).values(field)[:1]
        )

    return matches.annotate(
        publisher_decision=answer("publisher", "decision"),
        publisher_reason=answer("publisher", "reason"),
        company_decision=answer("company", "decision"),
        company_reason=answer("company", "reason"),
    )


def active_matches() -> QuerySet[Match]:
    """Every stored match (one row per pair), with what every list shows, and each side's answer."""
    return _with_answers(
        Match.objects.select_related(
            "scenario",
            "scenario__publisher",
            "scenario__domain",
            "scenario__district",
            "entry",
            "entry__company",
            "entry__strategic_area",
        )
    )


def suppliers_for(user, scenario) -> QuerySet[Match]:
    """推荐供应商 of a scenario: its publisher and operators only. Each pair carries the next step
    taken with the supplier (matching.services.next_steps) in the same query: `enquiry_id`, the
    publisher's latest enquiry to the supplier's company about the scenario, and `event_id` /
    `event_title`, the latest event with the pair on its agenda."""
    if not can_see_suppliers(user, scenario):
        raise Http404
    enquiries = Enquiry.objects.filter(
        scenario_id=OuterRef("scenario_id"),
        company_id=OuterRef("scenario__publisher_id"),
        addressee_id=OuterRef("entry__company_id"),
    ).order_by("-created_at", "-pk")
    agenda = AgendaItem.objects.filter(scenario_id=OuterRef("scenario_id"), entry_id=OuterRef("entry_id")).order_by(
        "-event__starts_at", "-pk"
    )
    return (
        active_matches()
        .filter(scenario=scenario)
        .annotate(
            enquiry_id=Subquery(enquiries.values("pk")[:1]),
            event_id=Subquery(agenda.values("event_id")[:1]),
            event_title=Subquery(agenda.values("event__title")[:1]),
        )
        .order_by("-score", "entry_id")
    )


def enquiry_draft(match: Match) -> dict:
    """The enquiry a publisher starts from when asking a supplier (subject and question, to edit)."""
    scenario, entry = match.scenario, match.entry
    needs = "、".join(scenario.need_items.values_list("name", flat=True)) or scenario.title
    return {
        "subject": (_("关于“%(scenario)s”的合作询问") % {"scenario": scenario.title})[:100],
        "question": _(
            "贵单位的“%(entry)s”被推荐为我单位场景“%(scenario)s”的供应商。请介绍该产品在类似场景的应用案例、"
            "实施周期和报价区间，并说明能否满足以下需求：%(needs)s。"
        )
        % {"entry": entry.name, "scenario": scenario.title, "needs": needs},
    }


def scenarios_for_company(user) -> QuerySet[Match]:
    """推荐场景 for the entries of the user's company (its company role)."""
    company = organisation_acted_for(user, Role.COMPANY)
    if company is None:
        return active_matches().none()  # the same shape, so any filter applies (see matches_visible_to)
    # Only the joins the page shows: PostgreSQL spent 10–35 ms planning active_matches()' eight-table
    # join (join orders grow with each table) to run it in 1 ms; with five tables it plans in ~1 ms.
    return (
        _with_answers(Match.objects.select_related("scenario", "scenario__publisher", "scenario__district", "entry"))
        .filter(entry__company_id=company)
        .order_by("entry_id", "-score", "scenario_id")
    )


def matches_visible_to(user) -> QuerySet[Match]:
    """Operators see every match; a publisher its scenarios'; a company user its entries'. Everyone
    else gets an empty list of the same shape (the answers annotated), so every filter applies to it:
    a bare Match.objects.none() made `?answer=accepted` a 500 for them (found by the API sweep)."""
    if not user.is_authenticated:
        return active_matches().none()
    if is_operator(user):
        return active_matches()
    publisher = organisation_acted_for(user, Role.PUBLISHER)
    company = organisation_acted_for(user, Role.COMPANY)
    if publisher is None and company is None:
        return active_matches().none()
    condition = Q(pk__in=[])
    if publisher is not None:
        condition |= Q(scenario__publisher_id=publisher)
    if company is not None:
        condition |= Q(entry__company_id=company)
    return active_matches().filter(condition)


def matching_model_active() -> MatchingModel | None:
    return MatchingModel.objects.filter(state="active").first()


def match_answer_summary() -> list[tuple[str, int]]:
    """How both sides answered, for tuning the weights: accepted, then each decline reason."""
    counts = dict(
        MatchFeedback.objects.values_list("decision", "reason")
        .annotate(count=Count("pk"))
        .values_list("reason", "count")
    )
    accepted = MatchFeedback.objects.filter(decision="accepted").count()
    return [(_("接受"), accepted)] + [(label, counts.get(code, 0)) for code, label in DeclineReason.choices]


def weights_in_use() -> list[tuple[str, float]]:
    """(part's name as shown, weight) of the score's parts in use, and where they come from."""
    from matching.engine.matches import weights_in_use as current

    names = {
        "text": _("文本相关度"),
        "coverage": _("需求覆盖"),
        "fields": _("领域与技术方向"),
        "credential": _("三首认定（场景要求时）"),
        "fit": _("预算与进度"),
        "district": _("同一区域"),
    }
    return [(names[name], weight) for name, weight in current().items()]


def weights_refit_last():
    """The last nightly refit of the weights (kept or not), for the match table."""
    from matching.models import ScoreWeights

    return ScoreWeights.objects.order_by("-pk").first()


def affinity_rows():
    from matching.models import DomainAreaAffinity

    return DomainAreaAffinity.objects.select_related("domain", "area").order_by(
        "domain__sort_order", "-weight", "area__code"
    )


def field_affinity_rows():
    from matching.models import DomainFieldAffinity

    return DomainFieldAffinity.objects.select_related("domain").order_by("domain__sort_order", "-weight", "field")


def affinity_domains():
    from scenarios.models import Domain

    return list(
        Domain.objects.filter(parent__isnull=False, is_active=True).order_by("parent__sort_order", "sort_order", "pk")
    )
