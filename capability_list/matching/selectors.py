"""Reads of the stored matches, scoped to the person (anything else is 404)."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.permissions import is_operator
from capability_list.models import Match, MatchFeedback
from scenarios.permissions import is_publisher_of


def active_matches() -> QuerySet[Match]:
    """Every stored match (one row per pair), with what every list shows, and each side's answer."""

    def answer(side: str, field: str):
        return Subquery(
            MatchFeedback.objects.filter(
                scenario_id=OuterRef("scenario_id"), entry_id=OuterRef("entry_id"), side=side
            ).values(field)[:1]
        )

    return Match.objects.select_related(
        "scenario",
        "scenario__publisher",
        "scenario__domain",
        "scenario__district",
        "entry",
        "entry__company",
        "entry__strategic_area",
    ).annotate(
        publisher_decision=answer("publisher", "decision"),
        publisher_reason=answer("publisher", "reason"),
        company_decision=answer("company", "decision"),
        company_reason=answer("company", "reason"),
    )


def suppliers_for(user, scenario) -> QuerySet[Match]:
    """推荐供应商 of a scenario: its publisher and operators only."""
    if not (user.is_authenticated and (is_operator(user) or is_publisher_of(user, scenario))):
        raise Http404
    return active_matches().filter(scenario=scenario).order_by("-score", "entry_id")


def scenarios_for_company(user) -> QuerySet[Match]:
    """推荐场景 for the entries of the user's company."""
    if not (user.is_authenticated and user.organisation_id):
        return Match.objects.none()
    return active_matches().filter(entry__company_id=user.organisation_id).order_by("entry_id", "-score", "scenario_id")


def matches_visible_to(user) -> QuerySet[Match]:
    """Operators see every match; a publisher its scenarios'; a company its entries'."""
    if not user.is_authenticated:
        return Match.objects.none()
    if is_operator(user):
        return active_matches()
    if not user.organisation_id:
        return Match.objects.none()
    return active_matches().filter(
        Q(scenario__publisher_id=user.organisation_id) | Q(entry__company_id=user.organisation_id)
    )
