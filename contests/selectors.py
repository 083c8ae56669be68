"""Every read for 场景大赛, scoped to the person: a foreign or conflicted entry is simply not found.

Querysets come back already carrying what their pages and API lists show (select_related,
prefetch_related, annotations), so a list costs the same number of queries whatever its length.
"""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import is_operator, organisation_acted_for
from contests.choices import EntryStatus, ObjectionStatus, Round, SheetStatus
from contests.conflicts import conflicted_pairs, judge_conflicted_entry_ids, stake_conflicted_pairs
from contests.eligibility import ALWAYS, RULE_KINDS
from contests.models import (
    Award,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    CooperationAgreement,
    Criterion,
    JudgeRelationship,
    Milestone,
    Objection,
    PanelMembership,
    PolicyBenefit,
    RankingSnapshot,
    Recusal,
    RecusalCommitment,
    RoadshowSlot,
    Score,
    ScoreSheet,
    ScoringLock,
)
from contests.panel_suggestions import suggest_judges  # noqa: F401 (the panel page and API read it here)
from contests.permissions import (
    CONSORTIUM_MEMBER_ROLES,
    can_oversee_contests,
    is_company,
    is_cooperation_party,
    is_judge,
)
from contests.ranking import compute_ranking, inputs_sha256
from contests.rounds import scoring_open
from core.compiled_queries import compiled_read

# The third party of every 联合攻关任务书 (the issuing authority is fixed by the policy).
TASK_BOOK_AUTHORITY = "宁波市科学技术局"


# ---- contests and challenges -------------------------------------------------------------------


def contests_listed() -> QuerySet[Contest]:
    """The contests, each with its number of challenges (`challenge_count`)."""
    return Contest.objects.annotate(challenge_count=Count("challenges", distinct=True))


def challenges_of(contest: Contest) -> QuerySet[Challenge]:
    """A contest's challenges with their publisher and `entry_count`: entries submitted (drafts and
    withdrawn ones not counted)."""
    return contest.challenges.select_related("scenario", "scenario__publisher").annotate(
        entry_count=Count(
            "entries", filter=~Q(entries__status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN]), distinct=True
        )
    )


def rubric_of(contest: Contest) -> list[dict]:
    """The score sheet as the rubric editor shows it: dimension, name, maximum per criterion."""
    return list(contest.criteria.values("dimension", "name", "max_points"))


def eligibility_rule_choices(contest: Contest) -> list[dict]:
    """The rule editor's rows: each rule kind, whether the contest applies it, and whether every contest must."""
    chosen = set(contest.eligibility_rules.values_list("kind", flat=True)) | set(ALWAYS)
    return [
        {"code": code, "label": kind.label, "chosen": code in chosen, "always": code in ALWAYS}
        for code, kind in RULE_KINDS.items()
    ]


def open_challenges() -> QuerySet[Challenge]:
    """Every challenge, newest contest first (/api/v1/challenges/)."""
    return Challenge.objects.select_related("contest", "scenario", "scenario__publisher").order_by(
        "-contest__year", "id"
    )


def challenges_taking_entries(now=None) -> QuerySet[Challenge]:
    """The challenges of contests now publishing or taking entries (before 资格审查 opens)."""
    now = now or timezone.now()
    return (
        Challenge.objects.filter(contest__challenges_open_at__lte=now, contest__eligibility_open_at__gt=now)
        .select_related("contest", "scenario", "scenario__publisher", "scenario__domain__parent", "scenario__district")
        .order_by("contest__eligibility_open_at", "id")
    )


# ---- entries -----------------------------------------------------------------------------------


def entries_visible_to(user) -> QuerySet[ContestEntry]:
    """Operators see all; a company user their company's entries as lead; the people of a
    consortium member who act for it (contests.permissions.CONSORTIUM_MEMBER_ROLES) its entries."""
    queryset = ContestEntry.objects.select_related(
        "challenge__contest", "challenge__scenario", "lead"
    ).prefetch_related("members__organisation")
    if is_operator(user):
        return queryset
    lead = organisation_acted_for(user, Role.COMPANY)
    member = organisation_acted_for(user, *CONSORTIUM_MEMBER_ROLES)
    if lead is None and member is None:
        return queryset.none()
    condition = Q(pk__in=[])
    if lead is not None:
        condition |= Q(lead_id=lead)
    if member is not None:
        condition |= Q(members__organisation_id=member)
    return queryset.filter(condition).distinct()


def entries_of_my_organisation(user) -> QuerySet[ContestEntry]:
    """ "我的揭榜": the entries of a company user's organisation, as lead or consortium member, in
    every state, newest first, with what their next step needs (contests.entry_steps). Company users
    only (by role, not bare membership)."""
    if not (is_company(user) and user.organisation_id):
        return ContestEntry.objects.none()
    return (
        ContestEntry.objects.filter(Q(lead_id=user.organisation_id) | Q(members__organisation_id=user.organisation_id))
        .distinct()
        .select_related("challenge__contest", "challenge__scenario", "lead", "award", "agreement", "roadshow_slot")
        .prefetch_related("members__organisation")
        .order_by("-created_at", "-id")
    )


def entries_of(contest: Contest | None = None) -> QuerySet[ContestEntry]:
    """Every entry (of a contest, when given), with its challenge and contest: for operators."""
    entries = ContestEntry.objects.select_related("challenge__contest")
    return entries if contest is None else entries.filter(challenge__contest=contest)


def entries_submitted_to(challenge: Challenge) -> QuerySet[ContestEntry]:
    """A challenge's entries past the draft (and not withdrawn), with their lead."""
    return challenge.entries.exclude(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN]).select_related("lead")


def invitation_of(user, entry: ContestEntry) -> ConsortiumMember:
    """The consortium place offered to the person's organisation, which they act for
    (contests.permissions.CONSORTIUM_MEMBER_ROLES); else 404."""
    member = organisation_acted_for(user, *CONSORTIUM_MEMBER_ROLES)
    if member is None:
        raise Http404
    return get_object_or_404(ConsortiumMember, entry=entry, organisation_id=member)


def entries_for_judge(judge, challenge_of: int | None = None) -> list[ContestEntry]:
    """The eligible entries of the judge's panels (of the panel of the challenge of the entry
    `challenge_of`, if given) — only after the 回避承诺 is signed, and never one the judge is
    conflicted with or has recused from (the rule of contests.permissions.can_score, for all the
    judge's entries at once).

    Two short queries rather than one of nine tables: PostgreSQL spent 11 ms planning that join to
    run it in 5 (issue #20). First the judge's challenges (panel, signed commitment) with their
    contest and scenario, then their entries, each given its challenge from the first."""
    signed = RecusalCommitment.objects.filter(judge=judge).values("contest_id")
    challenges = Challenge.objects.filter(panel__judge=judge, contest_id__in=signed).select_related(
        "contest", "scenario"
    )
    if challenge_of is not None:
        challenges = challenges.filter(entries__pk=challenge_of)
    by_id = {challenge.pk: challenge for challenge in challenges}
    if not by_id:
        return []
    recused = Recusal.objects.filter(judge=judge, entry_id=OuterRef("pk"))
    candidates = list(
        ContestEntry.objects.filter(challenge_id__in=by_id, status=EntryStatus.ELIGIBLE)
        .exclude(Exists(recused))
        .select_related("lead", "roadshow_slot")
        .prefetch_related("members", "attachments")
        .order_by("challenge_id", "roadshow_slot__position", "pk")
    )
    for entry in candidates:
        entry.challenge = by_id[entry.challenge_id]
    conflicted = judge_conflicted_entry_ids(judge, candidates)
    return [entry for entry in candidates if entry.pk not in conflicted]


def entries_for_judge_with_sheets(judge) -> list[ContestEntry]:
    """entries_for_judge, each carrying `sheet_status` of the judge's own sheet ('' when none yet)
    and `scorable_now`: the sheet is not submitted, the contest is in a scoring round and the chair
    has not locked the panel's scoring — what the sheet page lets the judge edit (two queries)."""
    entries = entries_for_judge(judge)
    statuses = dict(
        ScoreSheet.objects.filter(judge=judge, entry__in=[entry.pk for entry in entries]).values_list(
            "entry_id", "status"
        )
    )
    locked = set(
        ScoringLock.objects.filter(challenge_id__in={entry.challenge_id for entry in entries}).values_list(
            "challenge_id", flat=True
        )
    )
    for entry in entries:
        entry.sheet_status = statuses.get(entry.pk, "")
        entry.scorable_now = (
            entry.sheet_status != SheetStatus.SUBMITTED
            and scoring_open(entry.challenge.contest)
            and entry.challenge_id not in locked
        )
    return entries


def _standing_of(judge_id) -> dict:
    """Annotations of an entry with what the rule of contests.permissions.can_score asks of the
    judge — the panel, the contest's 回避承诺, the challenge's drafters — and the publisher (a party
    to the conflict rules): asked with the entry, in the same query."""
    return {
        "publisher_id": F("challenge__scenario__publisher_id"),
        "on_panel": Exists(PanelMembership.objects.filter(challenge_id=OuterRef("challenge_id"), judge_id=judge_id)),
        "signed": Exists(
            RecusalCommitment.objects.filter(contest_id=OuterRef("challenge__contest_id"), judge_id=judge_id)
        ),
        "drafted": Exists(
            Challenge.drafters.through.objects.filter(challenge_id=OuterRef("challenge_id"), user_id=judge_id)
        ),
    }


def entry_for_judge(judge, pk) -> ContestEntry:
    """The entry `pk` if the judge may score it (the rule of contests.permissions.can_score);
    otherwise 404. Every sheet a judge saves asks it, so it reads the entry's own row only, with the
    panel, the 回避承诺, the drafters and the recusal asked in the same query (compiled once per
    process), then the consortium and the judge's declared relationships for the conflict rules:
    4 queries. It was 6, with the challenge, contest and scenario built as well, and the rule's
    check took twice the CPU time of the rest of the sheet's save (issue #20)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    smallest, largest = connection.ops.integer_field_range(ContestEntry._meta.pk.get_internal_type())
    if not smallest <= pk <= largest:  # the ORM finds nothing for such an id; the database would refuse it
        raise Http404
    entry = next(iter(compiled_read(_entry_with_standing, judge.pk, pk)), None)
    if (
        entry is None
        or entry.status != EntryStatus.ELIGIBLE
        or not entry.on_panel
        or not entry.signed
        or entry.drafted
        or entry.recused
    ):
        raise Http404
    # The entry's parties, as contests.conflicts.parties counts them: the lead, every member that
    # has not declined, the publisher.
    stake = {entry.lead_id, entry.publisher_id}
    stake.update(
        ConsortiumMember.objects.filter(entry_id=entry.pk)
        .exclude(status="declined")
        .values_list("organisation_id", flat=True)
    )
    if stake_conflicted_pairs([judge], {entry.pk: stake}):
        raise Http404
    return entry


def _entry_with_standing(judge_id: int, entry_id: int) -> QuerySet[ContestEntry]:
    """entry_for_judge's read, compiled once per process (core.compiled_queries): compiling its
    four subqueries took the ORM 1.5 ms of every sheet saved, several times running them.
    Unordered, its only join is the publisher's."""
    recused = Exists(Recusal.objects.filter(judge_id=judge_id, entry_id=OuterRef("pk")))
    return ContestEntry.objects.annotate(**_standing_of(judge_id), recused=recused).filter(pk=entry_id).order_by()


def entry_on_sheet(judge, pk) -> tuple[ContestEntry, list[int]]:
    """The entry `pk` for the judge's score sheet if the judge may score it, with the ids of the
    judge's entries of its challenge in their order (the sheet's previous / next); otherwise 404.

    One check for both (asking can_score as well made it 28 queries): the rule of can_score, for the
    whole challenge. The queue is read as ids and organisation ids, not as 50 whole entries with
    their leads, consortia and attachments: building those rows was two thirds of the page's time on
    the load benchmark's data (issue #20). The panel, the 回避承诺, the drafters and the scoring lock
    are asked with the entry, in one query.
    The entry carries `confirmed_members` (names), `scoring_locked` and its attachments."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    # Unordered: first() would order by the id, and compiling that was a sixth of the query's time.
    entry = next(
        iter(
            ContestEntry.objects.select_related("challenge__contest", "lead", "roadshow_slot")
            .annotate(
                **_standing_of(judge.pk),
                scoring_locked=Exists(ScoringLock.objects.filter(challenge_id=OuterRef("challenge_id"))),
            )
            .prefetch_related("attachments")
            .filter(pk=pk)
            .order_by()
        ),
        None,
    )
    if entry is None or not entry.on_panel or not entry.signed or entry.drafted:
        raise Http404
    recused = Recusal.objects.filter(judge=judge, entry_id=OuterRef("pk"))
    leads = dict(
        ContestEntry.objects.filter(challenge_id=entry.challenge_id, status=EntryStatus.ELIGIBLE)
        .exclude(Exists(recused))
        .order_by("roadshow_slot__position", "pk")
        .values_list("pk", "lead_id")
    )
    # Each entry's parties, as contests.conflicts.parties counts them: the lead, every member that
    # has not declined, the publisher.
    stakes = {entry_id: {lead_id, entry.publisher_id} for entry_id, lead_id in leads.items()}
    entry.confirmed_members = []
    for entry_id, organisation_id, status, name in (
        ConsortiumMember.objects.filter(entry_id__in=leads)
        .order_by("pk")
        .values_list("entry_id", "organisation_id", "status", "organisation__name")
    ):
        if status != "declined":
            stakes[entry_id].add(organisation_id)
        if entry_id == entry.pk and status == "confirmed":
            entry.confirmed_members.append(name)
    conflicted = {entry_id for _judge, entry_id in stake_conflicted_pairs([judge], stakes)}
    queue = [entry_id for entry_id in leads if entry_id not in conflicted]
    if entry.pk not in queue:
        raise Http404
    return entry, queue


def entry_to_score(pk) -> tuple[ContestEntry, list[Criterion]]:
    """The entry a judge posts a score sheet for (its id, challenge and status only) and its
    contest's criteria; 404 when there is none. Not a permission check: sheet_save checks that the
    judge may score it, and reads the entry again for that."""
    entry = get_object_or_404(ContestEntry.objects.only("pk", "challenge_id", "status"), pk=pk)
    return entry, list(Criterion.objects.filter(contest__challenges=entry.challenge_id))


def entry_with_files_for(user, pk) -> ContestEntry:
    """An entry whose attachments a person may download: operators and the entry's own parties
    (entries_visible_to), judges the entries they may score; anyone else gets 404."""
    visible = entries_visible_to(user).filter(pk=pk).first()
    if visible is not None:
        return visible
    if is_judge(user):
        return entry_for_judge(user, pk)
    raise Http404


def entries_readable_by(user) -> QuerySet[ContestEntry]:
    """/api/v1/entries/: a judge (who is not an operator) reads the entries they may score; everyone
    else the entries visible to them."""
    if is_judge(user) and not is_operator(user):
        ids = [entry.pk for entry in entries_for_judge(user)]
        return ContestEntry.objects.filter(pk__in=ids).select_related("lead").prefetch_related("members__organisation")
    return entries_visible_to(user)


# ---- judges and panels -------------------------------------------------------------------------


def panel_of(challenge: Challenge) -> QuerySet[PanelMembership]:
    return challenge.panel.select_related("judge", "judge__organisation").order_by("-is_chair", "assigned_at")


def judges_visible_to(user) -> QuerySet[User]:
    """The judge pool for operators; a judge sees only themself."""
    judges = (
        User.objects.filter(role_assignments__role="judge")
        .select_related("organisation", "judge_profile")
        .order_by("display_name", "pk")  # a stable order: the API pages it
    )
    return judges if is_operator(user) else judges.filter(pk=user.pk)


def judge_for_panel(pk) -> User:
    """A judge of the pool by id (404 for anyone else)."""
    return get_object_or_404(User, pk=pk, role_assignments__role="judge")


def relationships_of(judge) -> QuerySet[JudgeRelationship]:
    return judge.declared_relationships.select_related("organisation")


def contests_for_judge(judge) -> QuerySet[Contest]:
    """The contests where the judge sits on a panel, each with `signed`: the 回避承诺 is signed."""
    signed = RecusalCommitment.objects.filter(judge=judge, contest=OuterRef("pk"))
    return Contest.objects.filter(challenges__panel__judge=judge).distinct().annotate(signed=Exists(signed))


def panels_of_judge(judge) -> QuerySet[PanelMembership]:
    return judge.panel_memberships.select_related("challenge__contest").order_by(
        "-challenge__contest__year", "challenge_id"
    )


def roadshow_slots_of(challenge: Challenge) -> QuerySet[RoadshowSlot]:
    return RoadshowSlot.objects.filter(entry__challenge=challenge).select_related("entry__lead")


# ---- score sheets --------------------------------------------------------------------------------


def sheets_visible_to(user) -> QuerySet[ScoreSheet]:
    """A judge reads their own sheets; operators also every sheet of a contest whose scoring is
    over (from 公示 on: contests.permissions.may_see_judges_scores), never while it is open."""
    sheets = ScoreSheet.objects.prefetch_related("scores__criterion").order_by("entry_id", "judge_id")
    if is_operator(user):
        return sheets.filter(Q(judge_id=user.pk) | Q(entry__challenge__contest__notice_open_at__lte=timezone.now()))
    return sheets.filter(judge_id=user.pk)


def sheet_of(judge, entry) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(entry=entry, judge=judge).prefetch_related("scores").first()


def sheet_chaired_by(user, pk) -> ScoreSheet:
    """A sheet of a panel the person chairs (they may reopen it without seeing its points); else 404."""
    return get_object_or_404(
        ScoreSheet.objects.select_related("entry"),
        pk=pk,
        entry__challenge__panel__judge=user,
        entry__challenge__panel__is_chair=True,
    )


def sheet_of_challenge(challenge: Challenge, pk) -> ScoreSheet:
    return get_object_or_404(ScoreSheet, pk=pk, entry__challenge=challenge)


def scoring_lock_of(challenge) -> ScoringLock | None:
    return ScoringLock.objects.filter(challenge=challenge).select_related("locked_by").first()


def scoring_locked(challenge) -> bool:
    return ScoringLock.objects.filter(challenge=challenge).exists()


def sheet_progress(challenge: Challenge, snapshot: RankingSnapshot | None) -> list[dict]:
    """Per entry: which judges are expected and whether each has submitted (never the points)."""
    statuses = {
        (entry_id, judge_id): (status, pk)
        for entry_id, judge_id, status, pk in ScoreSheet.objects.filter(entry__challenge=challenge).values_list(
            "entry_id", "judge_id", "status", "pk"
        )
    }
    judges = {membership.judge_id: membership.judge for membership in challenge.panel.select_related("judge")}
    rows = []
    for row in snapshot.results["entries"] if snapshot else []:
        expected = next(
            (entry["expected_judges"] for entry in snapshot.inputs["entries"] if entry["id"] == row["entry"]), []
        )
        rows.append(
            {
                "row": row,
                "sheets": [
                    {
                        "judge": judges.get(judge_id),
                        "status": statuses.get((row["entry"], judge_id), ("", None))[0],
                        "sheet": statuses.get((row["entry"], judge_id), ("", None))[1],
                    }
                    for judge_id in expected
                ],
            }
        )
    return rows


# ---- rankings ----------------------------------------------------------------------------------


def expected_judges(challenge: Challenge, entries: list[ContestEntry]) -> dict[int, list[int]]:
    """{entry id: judge ids who must score it}: the panel, less recusals and conflicts."""
    judges = [
        membership.judge for membership in PanelMembership.objects.filter(challenge=challenge).select_related("judge")
    ]
    recused = set(Recusal.objects.filter(entry__challenge=challenge).values_list("judge_id", "entry_id"))
    conflicted = conflicted_pairs(challenge, judges, entries)
    return {
        entry.pk: sorted(
            judge.pk
            for judge in judges
            if (judge.pk, entry.pk) not in recused and (judge.pk, entry.pk) not in conflicted
        )
        for entry in entries
    }


def ranking_inputs(challenge: Challenge) -> dict:
    """Everything the ranking reads, as plain JSON: the rubric, the eligible entries with the
    judges expected on each, the submitted sheets, and the recorded tie decisions."""
    entries = list(
        ContestEntry.objects.filter(challenge=challenge, status=EntryStatus.ELIGIBLE)
        .select_related("lead")
        .order_by("pk")
    )
    expected = expected_judges(challenge, entries)
    sheets: dict[tuple[int, int], dict] = {}
    for entry_id, judge_id, criterion_id, points in Score.objects.filter(
        sheet__entry__challenge=challenge,
        sheet__entry__status=EntryStatus.ELIGIBLE,
        sheet__status=SheetStatus.SUBMITTED,
    ).values_list("sheet__entry_id", "sheet__judge_id", "criterion_id", "points"):
        if judge_id in expected.get(entry_id, ()):
            sheets.setdefault((entry_id, judge_id), {"entry": entry_id, "judge": judge_id, "points": {}})["points"][
                str(criterion_id)
            ] = str(points)
    return {
        "criteria": [
            {
                "id": criterion.pk,
                "name": criterion.name,
                "dimension": criterion.dimension,
                "max_points": criterion.max_points,
            }
            for criterion in challenge.contest.criteria.all()
        ],
        "entries": [
            {"id": entry.pk, "title": entry.title, "lead": entry.lead.name, "expected_judges": expected[entry.pk]}
            for entry in entries
        ],
        "sheets": sorted(sheets.values(), key=lambda sheet: (sheet["entry"], sheet["judge"])),
        "tie_decisions": [
            {"id": decision.pk, "order": decision.order}
            for decision in challenge.tie_decisions.order_by("decided_at", "pk")
        ],
    }


def latest_snapshot(challenge: Challenge) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(challenge=challenge).order_by("-computed_at", "-pk").first()


def latest_snapshots(contest: Contest) -> dict:
    """{challenge id: its latest RankingSnapshot} for a whole contest, in two queries."""
    latest = RankingSnapshot.objects.filter(challenge=OuterRef("pk")).order_by("-computed_at", "-pk").values("pk")[:1]
    ids = [
        pk
        for pk in Challenge.objects.filter(contest=contest)
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
        if pk
    ]
    return {snapshot.challenge_id: snapshot for snapshot in RankingSnapshot.objects.filter(pk__in=ids)}


def panel_complete(snapshot: RankingSnapshot | None) -> bool:
    """Every eligible entry has all its expected sheets: aggregates may be shown to the panel."""
    return (
        snapshot is not None
        and bool(snapshot.results["entries"])
        and all(row["complete"] for row in snapshot.results["entries"])
    )


def snapshot_verify(snapshot: RankingSnapshot) -> bool:
    """Recompute a snapshot from its stored inputs: True when the result is the same."""
    return (
        inputs_sha256(snapshot.inputs) == snapshot.inputs_sha256
        and compute_ranking(snapshot.inputs) == snapshot.results
    )


def ranking_history(challenge: Challenge):
    """The last ten computations of a challenge's ranking (when, why, the inputs' fingerprint), in
    one query. The related manager sets each row's challenge from the challenge id it reads off
    the row: without that column among those read, it fetched it row by row (a query a row)."""
    return challenge.ranking_snapshots.only("pk", "challenge", "computed_at", "trigger", "inputs_sha256")[:10]


def ranking_access(user, challenge: Challenge) -> dict:
    """What of a challenge's scoring a person may see. Operators: everything. Panel members: who
    has submitted, and — once every expected sheet of every entry is in — the ranking and the
    entry diagnostics (never another judge's points). The chair also sees the per-judge
    leniency then. Anyone else: 404."""
    snapshot = latest_snapshot(challenge)
    complete = panel_complete(snapshot)
    if is_operator(user):
        return {
            "snapshot": snapshot,
            "complete": complete,
            "scores": True,
            "judges": True,
            "chair": False,
            "operator": True,
        }
    membership = (
        PanelMembership.objects.filter(challenge=challenge, judge_id=user.pk).first() if user.is_authenticated else None
    )
    if membership is None:
        raise Http404
    return {
        "snapshot": snapshot,
        "complete": complete,
        "scores": complete,
        "judges": complete and membership.is_chair,
        "chair": membership.is_chair,
        "operator": False,
    }


def ranking_rows(challenge: Challenge, access: dict) -> dict:
    """The ranking page's rows for what `access` allows: the ranking with outlier judges named,
    the judges' leniency, and (operators) the groups still tied."""
    snapshot = access["snapshot"]
    judge_names = {
        membership.judge_id: membership.judge.display_name for membership in challenge.panel.select_related("judge")
    }
    return {
        "judge_rows": [dict(row, name=judge_names.get(row["judge"], "—")) for row in snapshot.results["judges"]]
        if snapshot and access["judges"]
        else [],
        "ranking_rows": [
            dict(
                row,
                outlier_names=[judge_names.get(judge, "—") for judge in row["diagnostics"]["outlier_judges"]]
                if row["diagnostics"] and access["judges"]
                else [],
            )
            for row in snapshot.results["entries"]
        ]
        if snapshot
        else [],
        "tie_groups": tie_groups(snapshot) if snapshot and access["operator"] else [],
    }


def tie_groups(snapshot: RankingSnapshot) -> list[list[dict]]:
    """The rows still tied after every measured step, grouped by their shared rank."""
    groups: dict[int, list[dict]] = {}
    for row in snapshot.results["entries"]:
        if row["tie_break"] == "unresolved":
            groups.setdefault(row["rank"], []).append(row)
    return list(groups.values())


def published_ranking(snapshot: RankingSnapshot | None) -> list[dict] | None:
    """The rows of the 公示 from a challenge's latest snapshot: ranks, totals and subtotals only
    (no judge, no diagnostics); None until every expected sheet is in."""
    if not panel_complete(snapshot):
        return None
    keep = ("entry", "rank", "title", "lead", "score", "technical", "business")
    return [{key: row[key] for key in keep} for row in snapshot.results["entries"]]


def live_boards(contest: Contest) -> list[dict]:
    """The venue screen: per challenge, the running order (or, before the draw, the eligible
    entries in the ranking's order) with each entry's published result, and how many are done."""
    boards = []
    snapshots = latest_snapshots(contest)
    slots_by_challenge: dict[int, list] = {}
    for slot in (
        RoadshowSlot.objects.filter(entry__challenge__contest=contest, entry__status=EntryStatus.ELIGIBLE)
        .select_related("entry", "entry__lead")
        .order_by("position")
    ):
        slots_by_challenge.setdefault(slot.entry.challenge_id, []).append(slot)
    for challenge in contest.challenges.order_by("pk"):
        snapshot = snapshots.get(challenge.pk)
        results = {row["entry"]: row for row in snapshot.results["entries"]} if snapshot else {}
        rows = [
            {"slot": slot, "result": results.get(slot.entry_id)} for slot in slots_by_challenge.get(challenge.pk, [])
        ]
        if not rows:  # no draw yet: the eligible entries in the ranking's order
            rows = [
                {"slot": None, "title": row["title"], "lead": row["lead"], "result": row} for row in results.values()
            ]
        boards.append(
            {
                "challenge": challenge,
                "rows": rows,
                "done": sum(1 for row in rows if row["result"] and row["result"]["complete"]),
            }
        )
    return boards


def notice_boards(contest: Contest) -> list[dict]:
    """The 公示 per challenge: its published rows (None until complete), each with its Award once
    results are out (else None)."""
    awards = {award.entry_id: award for award in contest.awards.all()} if contest.is_at_or_after(Round.RESULTS) else {}
    snapshots = latest_snapshots(contest)
    boards = []
    for challenge in contest.challenges.order_by("pk"):
        rows = published_ranking(snapshots.get(challenge.pk))
        boards.append(
            {
                "challenge": challenge,
                "rows": [dict(row, award=awards.get(row["entry"])) for row in rows] if rows is not None else None,
            }
        )
    return boards


def award_boards(contest: Contest) -> list[dict]:
    """The awards page per challenge (with `open_objections` counted): its published rows, each
    with the entry (for its 信用核查) and its award; rows None until the panel is complete."""
    entries = {
        entry.pk: entry for entry in ContestEntry.objects.filter(challenge__contest=contest).select_related("lead")
    }
    awards_by_entry = {award.entry_id: award for award in contest.awards.all()}
    snapshots = latest_snapshots(contest)
    boards = []
    for challenge in contest.challenges.annotate(
        open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN))
    ).order_by("pk"):
        rows = published_ranking(snapshots.get(challenge.pk))
        boards.append(
            {
                "challenge": challenge,
                "rows": [
                    dict(row, entry_obj=entries.get(row["entry"]), award=awards_by_entry.get(row["entry"]))
                    for row in rows
                ]
                if rows
                else None,
            }
        )
    return boards


# ---- objections, awards, cooperation -----------------------------------------------------------


def objections_visible_to(user, *, contest: Contest | None = None) -> QuerySet[Objection]:
    """Operators read every objection; a signed-in person the ones they raised; nobody else any."""
    objections = Objection.objects.select_related("challenge", "entry").order_by("created_at", "pk")
    if contest is not None:
        objections = objections.filter(challenge__contest=contest)
    if is_operator(user):
        return objections
    if not user.is_authenticated:
        return objections.none()
    return objections.filter(raised_by_id=user.pk)


def awards_visible_to(user) -> QuerySet[Award]:
    """Operators and officials read the awards; nobody else."""
    if not can_oversee_contests(user):
        return Award.objects.none()
    return Award.objects.order_by("contest_id", "challenge_id", "pk")


def awarded_total(contest: Contest, *, excluding: Award | None = None) -> Decimal:
    queryset = Award.objects.filter(contest=contest)
    if excluding is not None:
        queryset = queryset.exclude(pk=excluding.pk)
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def winner_entries_visible_to(user) -> QuerySet[ContestEntry]:
    """Winning entries: all for operators and officials; the 揭榜方's and the 发榜方's own for them."""
    entries = ContestEntry.objects.filter(award__isnull=False)
    if can_oversee_contests(user):
        return entries
    company = organisation_acted_for(user, Role.COMPANY)
    publisher = organisation_acted_for(user, Role.PUBLISHER)
    if company is None and publisher is None:
        return entries.none()
    condition = Q(pk__in=[])
    if company is not None:
        condition |= Q(lead_id=company)
    if publisher is not None:
        condition |= Q(challenge__scenario__publisher_id=publisher)
    return entries.filter(condition)


def agreements_visible_to(user) -> QuerySet[CooperationAgreement]:
    return (
        CooperationAgreement.objects.filter(entry__in=winner_entries_visible_to(user))
        .prefetch_related("milestones")
        .order_by("pk")
    )


def benefits_visible_to(user) -> QuerySet[PolicyBenefit]:
    return PolicyBenefit.objects.filter(entry__in=winner_entries_visible_to(user)).order_by("pk")


def cooperation_entry_for(user, pk) -> ContestEntry:
    """A winning entry whose cooperation page the person may use
    (contests.permissions.is_cooperation_party); else 404."""
    entry = get_object_or_404(
        ContestEntry.objects.select_related("award", "lead", "challenge__contest", "challenge__scenario__publisher"),
        pk=pk,
        award__isnull=False,
    )
    if not is_cooperation_party(user, entry):
        raise Http404
    return entry


def milestone_of(entry: ContestEntry, pk) -> Milestone:
    """A milestone of the entry's 任务书; else 404."""
    return get_object_or_404(Milestone, pk=pk, agreement__entry=entry)


def cooperation_records(entry: ContestEntry, agreement: CooperationAgreement | None) -> dict:
    """What the cooperation page lists: the 任务书's parties, milestones and progress reports, and
    the policy benefits."""
    return {
        "parties": agreement_parties(entry),
        "milestones": agreement.milestones.all() if agreement else [],
        "reports": agreement.progress_reports.select_related("submitted_by", "milestone") if agreement else [],
        "benefits": entry.benefits.all(),
    }


def agreement_parties(entry: ContestEntry) -> list[tuple[str, str]]:
    """The three parties of a 联合攻关任务书: 组织方, 发榜方, 揭榜方."""
    return [
        (_("组织方"), TASK_BOOK_AUTHORITY),
        (_("发榜方"), entry.challenge.scenario.publisher.name),
        (_("揭榜方"), entry.lead.name),
    ]
