"""The city-scale data set of the load benchmark, built once on PostgreSQL by bulk inserts.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load .venv/bin/python -m bench.load.data plan.json

Run in a process of its own (bench/load_portal.py does): it imports bench/bench_cockpit.py, whose data
set it reuses — 10,000 scenarios, 100,000 capability entries of 5,000 companies, 50 contests with
their entries, awards and agreements, 20,000 enquiries, matches, events, evaluation results, the
programme's reports, and a year of daily 十百千 snapshots — and adds what the journeys need:

- 20,000 people with their roles (company members, publishers' staff, judges, officials,
  operators), all with the demo password;
- 10 contests in 路演评审 (roadshow open now): each 4 challenges × 50 entries (200 entries), a panel
  of 9 judges on every challenge who signed the 回避承诺, 8 criteria; 60 % of the sheets already
  submitted with their points (marked as the baseline, so a run's own sheets can be removed).

- the scenarios' need items and search texts (the catalogue's keyword search reads them), and the
  capability entries' search texts (the list's).

Every row is valid for the pages (states, published scenarios, dates). A marker user per stage says
it is complete (STAGES); a database whose build was interrupted is rebuilt by `load_portal.py --rebuild`.
Writes the plan of the journeys (who signs in, which ids they visit) as JSON to the given path.
"""

import datetime
import importlib
import json
import random
import sys
import time
from decimal import Decimal

# First: the cockpit bench's module sets up Django on BENCH_DATABASE_URL when it is imported.
cockpit_data = importlib.import_module("bench.bench_cockpit")

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Organisation, RoleAssignment, User  # noqa: E402
from bench.synthetic import scenario_rows  # noqa: E402
from capability_list.entry_rules import entry_search_text  # noqa: E402
from capability_list.models import CapabilityEntry  # noqa: E402
from contests.models import (  # noqa: E402
    Challenge,
    Contest,
    ContestEntry,
    Criterion,
    JudgeProfile,
    PanelMembership,
    RecusalCommitment,
    Score,
    ScoreSheet,
)
from core.locked_rows import audited_reopen  # noqa: E402
from matching.models import Match  # noqa: E402
from scenarios.models import NeedItem, Scenario  # noqa: E402
from scenarios.services import refresh_search_text  # noqa: E402
from steering import cockpit  # noqa: E402

PASSWORD = "Demo@2026ok"
PEOPLE = 20_000
SCORING_CONTESTS, CHALLENGES_PER_SCORING_CONTEST, ENTRIES_PER_CHALLENGE, JUDGES_PER_PANEL = 10, 4, 50, 9
BASELINE_SHARE = 0.6
BASELINE_SHA = "b" * 64  # the sheets the data set starts with; a run's own sheets are removed before the next
RUBRIC = [
    ("technical", "整体技术解决方案", 20),
    ("technical", "方案可实施性", 15),
    ("technical", "首创性", 15),
    ("technical", "先进性", 10),
    ("business", "场景需求理解", 10),
    ("business", "结果评价/预期成效", 10),
    ("business", "商业模式", 10),
    ("business", "团队与服务", 10),
]


def _roles(users, role: str) -> list[RoleAssignment]:
    return [RoleAssignment(user=user, role=role) for user in users]


def add_people(author: User) -> dict:
    """20,000 people over the cockpit data's organisations, one password hash for all (bulk)."""
    password = make_password(PASSWORD)
    companies = list(Organisation.objects.filter(kind="company").order_by("id"))
    publishers = list(Organisation.objects.filter(kind__in=["soe", "government", "institute"]).order_by("id"))
    city_hall = Organisation.objects.filter(kind="government").order_by("id").first()
    groups = {
        "company": [(f"load_company_{n:05d}", companies[n % len(companies)]) for n in range(15_000)],
        "publisher": [(f"load_publisher_{n:04d}", publishers[n % len(publishers)]) for n in range(4_000)],
        "official": [(f"load_official_{n:03d}", None) for n in range(300)],
        "operator": [(f"load_operator_{n:03d}", city_hall) for n in range(250)],
        "judge": [(f"load_judge_{n:03d}", None) for n in range(PEOPLE - 19_550)],
    }
    created = {}
    for role, rows in groups.items():
        users = User.objects.bulk_create(
            [
                User(username=name, display_name=f"负载{name[-5:]}", organisation=organisation, password=password)
                for name, organisation in rows
            ],
            batch_size=2000,
        )
        RoleAssignment.objects.bulk_create(_roles(users, role), batch_size=5000)
        created[role] = users
    JudgeProfile.objects.bulk_create(
        [JudgeProfile(user=user, title="教授级高工", fields=["新一代信息技术"]) for user in created["judge"]]
    )
    return created


def add_scoring_contests(author: User, judges: list[User]) -> None:
    """10 contests in 路演评审, 200 entries each, 9-judge panels, 8 criteria, 60 % of sheets in."""
    rng = random.Random(20261210)
    now = timezone.now()
    year = timezone.localdate().year
    used = set(Challenge.objects.values_list("scenario_id", flat=True))
    scenarios = list(
        Scenario.objects.filter(status="in_contest")
        .exclude(pk__in=used)
        .order_by("id")[: SCORING_CONTESTS * CHALLENGES_PER_SCORING_CONTEST]
    )
    companies = list(Organisation.objects.filter(kind="company").order_by("id"))
    # Rounds: 路演评审 opened yesterday, 复议 in a month (the dates need not stay in one year here).
    offsets = {
        "challenges_open_at": -60,
        "registration_open_at": -45,
        "eligibility_open_at": -20,
        "roadshow_open_at": -1,
        "review_open_at": 30,
        "notice_open_at": 40,
        "results_open_at": 50,
    }
    contests = Contest.objects.bulk_create(
        [
            Contest(
                name=f"{year}年宁波市应用场景大赛（路演评审第{n + 1}组）",
                year=year,
                award_budget=Decimal("20000000"),
                created_by=author,
                **{field: now + datetime.timedelta(days=days) for field, days in offsets.items()},
            )
            for n in range(SCORING_CONTESTS)
        ]
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(contest=contest, dimension=dimension, name=name, max_points=points, position=index)
            for contest in contests
            for index, (dimension, name, points) in enumerate(RUBRIC)
        ]
    )
    criteria_of = {contest.pk: [c for c in criteria if c.contest_id == contest.pk] for contest in contests}
    challenges = Challenge.objects.bulk_create(
        [
            Challenge(
                contest=contests[n // CHALLENGES_PER_SCORING_CONTEST],
                scenario=scenario,
                title=f"揭榜：{scenario.title}"[:100],
                requirements="面向场景需求提供可落地的技术方案。",
                award_cap=Decimal("1000000"),
                created_by=author,
            )
            for n, scenario in enumerate(scenarios)
        ]
    )
    entries = ContestEntry.objects.bulk_create(
        [
            ContestEntry(
                challenge=challenge,
                lead=lead,
                created_by=author,
                title=f"{lead.name}揭榜方案"[:100],
                summary="技术路线、实施计划与预期成效。",
                status="eligible",
                submitted_at=now - datetime.timedelta(days=30),
            )
            for challenge in challenges
            for lead in rng.sample(companies, ENTRIES_PER_CHALLENGE)
        ],
        batch_size=2000,
    )
    panel_of = {
        contest.pk: judges[n * JUDGES_PER_PANEL : (n + 1) * JUDGES_PER_PANEL] for n, contest in enumerate(contests)
    }
    PanelMembership.objects.bulk_create(
        [
            PanelMembership(challenge=challenge, judge=judge, is_chair=index == 0, assigned_by=author)
            for challenge in challenges
            for index, judge in enumerate(panel_of[challenge.contest_id])
        ]
    )
    RecusalCommitment.objects.bulk_create(
        [
            RecusalCommitment(judge=judge, contest=contest, text_sha256="c" * 64)
            for contest in contests
            for judge in panel_of[contest.pk]
        ]
    )
    contest_of = {challenge.pk: challenge.contest_id for challenge in challenges}
    sheets = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(entry=entry, judge=judge, status="submitted", submitted_at=now, content_sha256=BASELINE_SHA)
            for entry in entries
            for judge in panel_of[contest_of[entry.challenge_id]]
            if rng.random() < BASELINE_SHARE
        ],
        batch_size=5000,
    )
    entry_challenge = {entry.pk: entry.challenge_id for entry in entries}
    # The sheets are signed already: the database refuses scores added to them (contests migration
    # 0007) unless the statements run as a reopen — a data set's baseline, built in one transaction.
    with audited_reopen():
        _bulk_scores(sheets, criteria_of, contest_of, entry_challenge, rng)
    print(
        f"data: {len(contests)} contests in 路演评审, {len(challenges)} challenges, {len(entries)} entries, "
        f"{len(sheets)} baseline sheets ({len(sheets) * len(RUBRIC)} scores)"
    )


def _bulk_scores(sheets, criteria_of, contest_of, entry_challenge, rng) -> None:
    Score.objects.bulk_create(
        [
            Score(
                sheet=sheet,
                criterion=criterion,
                points=Decimal(rng.randint(criterion.max_points, criterion.max_points * 2)) / 2,
            )
            for sheet in sheets
            for criterion in criteria_of[contest_of[entry_challenge[sheet.entry_id]]]
        ],
        batch_size=10000,
    )


def add_needs_and_search_text() -> None:
    """The cockpit data's scenarios carry no need items and no search texts (its charts need
    neither): the catalogue's pages and keyword search do. Needs from bench/synthetic.py's rows."""
    needs_of = {row["title"]: row["needs"] for row in scenario_rows(10_000)}
    scenarios = list(Scenario.objects.select_related("publisher").filter(search_text=""))
    items = []
    for scenario in scenarios:
        rows = [{"name": name, "detail": ""} for name in needs_of.get(scenario.title, [])]
        items += [NeedItem(scenario=scenario, name=row["name"], sort_order=n) for n, row in enumerate(rows)]
        refresh_search_text(scenario, rows)
    NeedItem.objects.bulk_create(items, batch_size=5000)
    Scenario.objects.bulk_update(scenarios, ["needs_text", "search_text"], batch_size=2000)
    print(f"data: {len(items)} need items and the search texts of {len(scenarios)} scenarios")


def add_entry_search_text() -> None:
    """The cockpit data's capability entries carry no search text either: the list's keyword search
    reads it (core.search), so a search at city scale reads 100,000 real texts."""
    last, count = 0, 0
    while True:
        entries = list(CapabilityEntry.objects.select_related("company").filter(pk__gt=last).order_by("pk")[:5000])
        if not entries:
            break
        for entry in entries:
            entry.search_text = entry_search_text(entry)
        CapabilityEntry.objects.bulk_update(entries, ["search_text"], batch_size=5000)
        last, count = entries[-1].pk, count + len(entries)
    print(f"data: the search texts of {count} capability entries")


def add_people_and_contests() -> None:
    author = User.objects.get(username="bench_cockpit")
    people = add_people(author)
    add_scoring_contests(author, people["judge"])


# Each stage of the additions, with the marker user that says it is complete (a later stage can be
# added to a data set built before it).
STAGES = [
    ("bench_load_data_v1", add_people_and_contests),
    ("bench_load_needs_v1", add_needs_and_search_text),
    ("bench_load_entry_search_v1", add_entry_search_text),
]


def ensure_load_data() -> None:
    cockpit_data.ensure_data()
    cockpit_data.ensure_snapshots()
    built = False
    for marker, build in STAGES:
        if User.objects.filter(username=marker).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic():
            build()
            User.objects.create(username=marker, display_name="负载基准数据版本", is_active=False)
        print(f"data: {marker} built in {time.perf_counter() - started:.0f} s")
        built = True
    if built:
        # What autovacuum does on a live database: statistics for the planner, and the visibility
        # map that lets a count be answered from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"data: {User.objects.count()} people")


def reset_run_writes() -> int:
    """Remove the sheets an earlier run saved or submitted (not the baseline), so every run scores
    the same open sheets. Returns how many were removed."""
    run_sheets = ScoreSheet.objects.filter(entry__challenge__contest__name__contains="路演评审第").exclude(
        content_sha256=BASELINE_SHA
    )
    ids = list(run_sheets.values_list("pk", flat=True))
    # A run's submitted sheets are signed: locked by the database unless removed as a reopen.
    with transaction.atomic(), audited_reopen():
        Score.objects.filter(sheet_id__in=ids).delete()
        ScoreSheet.objects.filter(pk__in=ids).delete()
    return len(ids)


def journey_plan() -> dict:
    """Who signs in for each journey and which ids they visit: read from the data set."""
    rng = random.Random(7)
    public = list(
        Scenario.objects.filter(status__in=["published", "in_contest", "matched"]).values_list("pk", flat=True)[:2000]
    )
    companies_with_matches = list(
        Match.objects.values_list("entry__company_id", flat=True).order_by("entry__company_id").distinct()[:200]
    )
    company_users = [
        name
        for name, organisation in User.objects.filter(
            username__startswith="load_company_", organisation_id__in=companies_with_matches
        )
        .order_by("username")
        .values_list("username", "organisation_id")
    ][:64]
    judges = {}
    scoring = Contest.objects.filter(name__contains="路演评审第").order_by("id")
    criteria = {contest.pk: list(contest.criteria.values_list("pk", "max_points")) for contest in scoring}
    for membership in PanelMembership.objects.filter(challenge__contest__in=scoring).select_related("challenge"):
        plan = judges.setdefault(
            membership.judge.username, {"criteria": criteria[membership.challenge.contest_id], "entries": []}
        )
        submitted = set(
            ScoreSheet.objects.filter(judge_id=membership.judge_id, entry__challenge=membership.challenge).values_list(
                "entry_id", flat=True
            )
        )
        plan["entries"] += [
            pk
            for pk in ContestEntry.objects.filter(challenge=membership.challenge).values_list("pk", flat=True)
            if pk not in submitted
        ]
    districts = list(District.objects.filter(is_active=True).values_list("code", flat=True))
    return {
        "password": PASSWORD,
        "scenarios": rng.sample(public, 500),
        "districts": districts,
        "entries": list(CapabilityEntry.objects.filter(status="listed").values_list("pk", flat=True)[:500]),
        "company_users": company_users,
        "operators": [f"load_operator_{n:03d}" for n in range(64)],
        "officials": [f"load_official_{n:03d}" for n in range(64)],
        "judges": judges,
        "charts": sorted(cockpit.CHARTS),
    }


def main() -> None:
    ensure_load_data()
    removed = reset_run_writes()
    if removed:
        print(f"data: removed {removed} sheets an earlier run saved")
    plan = journey_plan()
    with open(sys.argv[1], "w") as handle:
        json.dump(plan, handle, ensure_ascii=False)


if __name__ == "__main__":
    main()
