"""Reads for 场景大赛, scoped to the person: a foreign or conflicted entry is simply not found."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from contests.choices import EntryStatus
from contests.conflicts import conflicts
from contests.models import Challenge, ContestEntry, PanelMembership, Recusal, RecusalCommitment


def entries_visible_to(user) -> QuerySet[ContestEntry]:
    """Operators see all; a company its own entries (as lead or consortium member)."""
    queryset = ContestEntry.objects.select_related("challenge__contest", "challenge__scenario", "lead").prefetch_related("members__organisation")
    if user.is_authenticated and user.has_role("operator"):
        return queryset
    if not (user.is_authenticated and user.organisation_id):
        return queryset.none()
    return queryset.filter(Q(lead_id=user.organisation_id) | Q(members__organisation_id=user.organisation_id)).distinct()


def entries_for_judge(judge) -> list[ContestEntry]:
    """The eligible entries of the judge's panels — only after the 回避承诺 is signed, and never one
    the judge is conflicted with or has recused from."""
    signed = RecusalCommitment.objects.filter(judge=judge, contest_id=OuterRef("challenge__contest_id"))
    recused = Recusal.objects.filter(judge=judge, entry_id=OuterRef("pk"))
    candidates = (
        ContestEntry.objects.filter(
            challenge__panel__judge=judge, status=EntryStatus.ELIGIBLE
        )
        .filter(Exists(signed))
        .exclude(Exists(recused))
        .select_related("challenge__contest", "challenge__scenario", "lead")
        .prefetch_related("members")
        .order_by("challenge_id", "roadshow_slot__position", "pk")
    )
    return [entry for entry in candidates if not conflicts(judge, entry)]


def entry_for_judge(judge, pk) -> ContestEntry:
    for entry in entries_for_judge(judge):
        if entry.pk == int(pk):
            return entry
    raise Http404


def open_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.select_related("contest", "scenario", "scenario__publisher").order_by("-contest__year", "id")


def panel_of(challenge) -> QuerySet[PanelMembership]:
    return challenge.panel.select_related("judge", "judge__organisation").order_by("-is_chair", "assigned_at")


def ranking_access(user, challenge) -> dict:
    """What of a challenge's scoring a person may see. Operators: everything. Panel members: who
    has submitted, and — once every expected sheet of every entry is in — the ranking and the
    entry diagnostics (never another judge's points). The chair also sees the per-judge
    leniency then. Anyone else: 404."""
    from contests.scoring import latest_snapshot, panel_complete

    snapshot = latest_snapshot(challenge)
    complete = panel_complete(snapshot)
    if user.is_authenticated and user.has_role("operator"):
        return {"snapshot": snapshot, "complete": complete, "scores": True, "judges": True, "chair": False, "operator": True}
    membership = PanelMembership.objects.filter(challenge=challenge, judge_id=getattr(user, "pk", None)).first() if user.is_authenticated else None
    if membership is None:
        raise Http404
    return {"snapshot": snapshot, "complete": complete, "scores": complete, "judges": complete and membership.is_chair, "chair": membership.is_chair, "operator": False}


def latest_snapshots(contest) -> dict:
    """{challenge id: its latest RankingSnapshot} for a whole contest, in two queries."""
    from contests.models import RankingSnapshot

    latest = RankingSnapshot.objects.filter(challenge=OuterRef("pk")).order_by("-computed_at", "-pk").values("pk")[:1]
    ids = [pk for pk in Challenge.objects.filter(contest=contest).annotate(latest=Subquery(latest)).values_list("latest", flat=True) if pk]
    return {snapshot.challenge_id: snapshot for snapshot in RankingSnapshot.objects.filter(pk__in=ids)}


def published_ranking(snapshot) -> list[dict] | None:
    """The rows of the 公示 from a challenge's latest snapshot: ranks, totals and subtotals only
    (no judge, no diagnostics); None until every expected sheet is in."""
    from contests.scoring import panel_complete

    if not panel_complete(snapshot):
        return None
    keep = ("entry", "rank", "title", "lead", "score", "technical", "business")
    return [{key: row[key] for key in keep} for row in snapshot.results["entries"]]
