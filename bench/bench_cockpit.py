"""The 驾驶舱 at city scale: every chart endpoint and the page, cold and warm cache, against one
hand-written SQL query per chart.

    .venv/bin/python bench/bench_cockpit.py            # SQLite file bench/bench_cockpit_v<DATA_VERSION>.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_cockpit .venv/bin/python bench/bench_cockpit.py

The data (built once, deterministically, reused while the file exists): 10,000 scenarios over every
domain, district and status (with their status changes), 100,000 capability entries of 5,000
companies (bench/synthetic.py) with 三首 credentials, 50 contests with 400 challenges, their
entries (submitted, qualified, scored, winners), awards and cooperation agreements, 20,000
enquiries, recommended matches, matchmaking events, evaluation rounds with published results and
findings, tolerance periods, a year of daily 十百千 target snapshots (every metric, city-wide and in
every district), and the programme: the six tasks' unit reports in 12 monthly cycles (most accepted,
some late, unfiled or red; 督办单), typical cases with 3,000 replications (pending, rejected, the same
adopter again), companies verified over three years and 3,000 on the 高成长性 list (some delisted and
listed again), current, archived and district targets, the 2025 assessment scheme and product uses.
A database of an older DATA_VERSION (or half-built) is rebuilt: the SQLite file's name carries the
version; a PostgreSQL database without the version's marker user has its schema dropped.

For each chart code, unfiltered and with a year and a district: GET /api/v1/cockpit/<code>/ through
Django's test Client as an operator with the cache cleared before each run (cold) and with the
cached payload (warm), and the same figures by one raw SQL query (cursor.execute) in this process.
Then the page /steering/ cold and warm, against all the raw queries run one after another. Prints
median and p95 (ms), the ratios to the SQL, the queries per request (cold/warm, counted by a
database execute wrapper) and the time one cold request spent in the database, and whether the
endpoint's figures equal the SQL's (exits 1 if any does not). The machine is shared and noisy:
read the ratios, not the absolute times.
"""

import datetime
import os
import random
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
DATA_VERSION = 2  # raise it when the data set changes: an older file or database is rebuilt
SQLITE_FILE = ROOT / "bench" / f"bench_cockpit_v{DATA_VERSION}.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{SQLITE_FILE}")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Organisation, RoleAssignment, User  # noqa: E402
from bench.synthetic import entry_rows, scenario_rows  # noqa: E402
from bench.timing import measure, summary  # noqa: E402
from capability_list.models import (  # noqa: E402
    AgendaItem,
    CapabilityEntry,
    Credential,
    Enquiry,
    Industry,
    MatchmakingEvent,
    StrategicArea,
)
from contests.models import Award, Challenge, Contest, ContestEntry, CooperationAgreement, ScoreSheet  # noqa: E402
from demo.accounts import demo_credit_code  # noqa: E402
from evaluation.models import (  # noqa: E402  # noqa: E402
    EvaluationRound,
    Finding,
    Framework,
    Replication,
    Subject,
    SubjectResult,
    TolerancePeriod,
    TypicalCase,
)
from matching.models import Match, MatchingModel  # noqa: E402
from scenarios.models import Domain, Scenario, ScenarioStatusChange  # noqa: E402
from steering import cockpit  # noqa: E402
from steering.models import (  # noqa: E402
    AssessmentItem,
    AssessmentScheme,
    HighGrowthListing,
    ProductUse,
    ProgrammeTask,
    ReportingCycle,
    SupervisionNotice,
    Target,
    TargetPlanPoint,
    TargetSnapshot,
    TaskUnit,
    UnitReport,
    UnitReportVersion,
)
from steering.reference_data import seed_assessment_scheme, seed_programme  # noqa: E402

SCENARIOS, ENTRIES, COMPANIES, CONTESTS, CHALLENGES_PER_CONTEST, ENQUIRIES = 10_000, 100_000, 5_000, 50, 8, 20_000
MATCHES_PER_SCENARIO, EVENTS, AGENDA_PER_EVENT, TOLERANCE_PERIODS, FINDINGS = 8, 40, 30, 300, 200
RUNS = 20
FILTERED = {"year": 2025, "district": "yinzhou"}  # the second set of runs: one year, one district
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
SPAN_START = datetime.datetime(2024, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime.datetime(2026, 11, 30, tzinfo=UTC) - SPAN_START).total_seconds())

# Each status's share of the scenarios, and the path of status changes that leads to it.
FLOW = ["draft", "submitted", "approved", "published", "in_contest", "matched", "in_implementation", "demonstrated"]
STATUS_WEIGHTS = {
    "draft": 4,
    "submitted": 3,
    "approved": 2,
    "rejected": 2,
    "withdrawn": 2,
    "published": 38,
    "in_contest": 15,
    "matched": 10,
    "in_implementation": 13,
    "demonstrated": 6,
    "closed": 5,
}
LEVELS = {"enterprise": "企业级", "industry": "产业级", "city": "城市级"}
PUBLIC = {"published", "in_contest", "matched", "in_implementation", "demonstrated", "closed"}


def status_path(status: str) -> list[str]:
    if status == "rejected":
        return ["draft", "submitted", "rejected"]
    if status == "withdrawn":
        return [*FLOW[:4], "withdrawn"]
    if status == "closed":
        return [*FLOW, "closed"]
    return FLOW[: FLOW.index(status) + 1]


def moment(rng: random.Random) -> datetime.datetime:
    return SPAN_START + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))


@contextmanager
def own_timestamps(*fields):
    """bulk_create keeps the given auto_now_add times (the data spreads over three years)."""
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


MARKER = f"bench_cockpit_data_v{DATA_VERSION}"  # a user created when the whole data set is built


def reset_database() -> None:
    """An older (or half-built) data set: start again from an empty database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def built_data() -> bool | None:
    """True: this version's whole data set; False: another version's or a half-built one (whose
    migrations may not even apply); None: an empty database."""
    if User._meta.db_table not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {User._meta.db_table} WHERE username = %s", [MARKER])
        return cursor.fetchone() is not None


def ensure_data() -> User:
    built = built_data()
    if built is False:
        print(f"data: not of version {DATA_VERSION} (or half-built): rebuilding the database")
        reset_database()
    call_command("migrate", verbosity=0)
    operator = User.objects.filter(username="bench_cockpit_operator").first()
    if built and operator is not None:
        return operator
    started = time.perf_counter()
    rng = random.Random(20261206)
    today = timezone.localdate()
    now = timezone.now()
    districts = list(District.objects.order_by("sort_order", "id"))
    by_name = {district.name: district for district in districts}
    leaves = list(Domain.objects.filter(parent__isnull=False))
    categories = list(Domain.objects.filter(parent__isnull=True))
    author, _ = User.objects.get_or_create(username="bench_cockpit", defaults={"display_name": "驾驶舱基准"})
    city_hall, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code("宁波市驾驶舱基准运营中心", districts[0].code, "government"),
        defaults={"name": "宁波市驾驶舱基准运营中心", "kind": "government", "district": districts[0]},
    )
    operator, _ = User.objects.get_or_create(
        username="bench_cockpit_operator", defaults={"display_name": "驾驶舱基准运营", "organisation": city_hall}
    )
    RoleAssignment.objects.get_or_create(user=operator, role="operator")

    kinds = ["soe", "government", "institute"]
    publishers = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"宁波驾驶舱基准发榜单位{n:03d}",
                kind=kinds[n % 3],
                district=districts[n % len(districts)],
                credit_code=demo_credit_code(f"宁波驾驶舱基准发榜单位{n:03d}", districts[0].code, kinds[n % 3]),
            )
            for n in range(80)
        ]
    )

    # Scenarios over every domain, district and status, with the status changes that led there.
    scenarios, paths = [], []
    for number, row in enumerate(scenario_rows(SCENARIOS)):
        status = pick(rng, STATUS_WEIGHTS)
        path = status_path(status)
        published = "published" in path
        roll = rng.random()
        domain = (
            None
            if roll < 0.03
            else categories[number % len(categories)]
            if roll < 0.08
            else leaves[number % len(leaves)]
        )
        scenarios.append(
            Scenario(
                title=row["title"],
                publisher=publishers[number % len(publishers)],
                created_by=author,
                domain=domain,
                need_description=row["need_description"],
                track=row["track"],
                stage="" if rng.random() < 0.08 else row["stage"],
                funding_level=row["funding_level"],
                funding_share=row["funding_share"],
                funding_amount=row["funding_amount"],
                district=None if rng.random() < 0.03 else districts[number % len(districts)],
                start_date=row["start_date"],
                end_date=row["end_date"],
                is_flagship=row["is_flagship"],
                status=status,
                published_at=moment(rng) if published else None,
            )
        )
        paths.append(path)
    Scenario.objects.bulk_create(scenarios, batch_size=2000)
    changes = []
    for scenario, path in zip(scenarios, paths):
        at = (scenario.published_at or moment(rng)) - datetime.timedelta(days=len(path))
        for before, after in zip(path, path[1:]):
            at += datetime.timedelta(days=1)
            changes.append(
                ScenarioStatusChange(
                    scenario=scenario, action=after, from_status=before, to_status=after, actor=author, created_at=at
                )
            )
    with own_timestamps(ScenarioStatusChange._meta.get_field("created_at")):
        ScenarioStatusChange.objects.bulk_create(changes, batch_size=5000)
    public = [scenario for scenario in scenarios if scenario.status in PUBLIC]
    later = [s for s in public if s.status not in ("published",)]

    # 100,000 capability entries of 5,000 companies, with 三首 credentials.
    industries = {industry.code: industry for industry in Industry.objects.all()}
    sections = [industry for industry in industries.values() if industry.section_id is None]
    areas = {area.name: area for area in StrategicArea.objects.all()}
    companies, entries, credentials = {}, [], []
    statuses = {"listed": 85, "submitted": 6, "draft": 4, "returned": 3, "withdrawn": 2}
    for number, row in enumerate(entry_rows(ENTRIES, companies=COMPANIES)):
        company = number % COMPANIES
        if company not in companies:
            companies[company] = Organisation(
                name=row[0], credit_code=row[1], kind="company", district=by_name.get(row[2], districts[0])
            )
        status = pick(rng, statuses)
        roll = rng.random()
        industry = None if roll < 0.08 else sections[number % len(sections)] if roll < 0.1 else industries.get(row[8])
        entries.append(
            CapabilityEntry(
                company=companies[company],
                submitted_by=author,
                name=row[3],
                kind="product",
                description=row[5],
                application_cases=row[6],
                technology_fields=row[7].split("、"),
                industry=industry,
                strategic_area=areas.get(row[9]),
                maturity="mass",
                price_band="10w_50w",
                status=status,
                listed_at=moment(rng) if status in ("listed", "withdrawn") else None,
            )
        )
        credentials.append(row[14:18])
    Organisation.objects.bulk_create(list(companies.values()), batch_size=2000)
    CapabilityEntry.objects.bulk_create(entries, batch_size=2000)
    credential_kinds = ["first_set", "first_batch", "first_version"]
    rows = []
    for number, (entry, (label, certificate, _level, year)) in enumerate(zip(entries, credentials)):
        if not label:
            continue
        kind = credential_kinds[(number // 10) % 3]
        rows.append(Credential(entry=entry, kind=kind, certificate_number=certificate, level="municipal", year=year))
        if number % 70 == 0:  # some entries hold two kinds: counted in both
            other = credential_kinds[(number // 10 + 1) % 3]
            rows.append(
                Credential(
                    entry=entry, kind=other, certificate_number=f"{certificate}-2", level="provincial", year=year
                )
            )
    Credential.objects.bulk_create(rows, batch_size=5000)
    listed = [entry for entry in entries if entry.status == "listed"]
    entries_of = {}
    for entry in listed:
        entries_of.setdefault(entry.company_id, []).append(entry)

    # 50 contests of 8 challenges each, their entries, score sheets, awards and agreements.
    judges = User.objects.bulk_create(
        [User(username=f"bench_cockpit_judge_{n}", display_name=f"基准专家{n}") for n in range(30)]
    )
    company_list = list(companies.values())
    contest_scenarios = rng.sample(later, CONTESTS * CHALLENGES_PER_CONTEST)
    contests, challenges, contest_entries = [], [], []
    for number in range(CONTESTS):
        year = 2024 + number % 3
        opens = datetime.datetime(year, 3, 1, tzinfo=SHANGHAI) + datetime.timedelta(days=number)
        contests.append(
            Contest(
                name=f"{year}年宁波市应用场景大赛（第{number + 1}场）",
                year=year,
                award_budget=Decimal("20000000"),
                created_by=author,
                **{
                    field: opens + datetime.timedelta(days=20 * step)
                    for step, field in enumerate(
                        [
                            "challenges_open_at",
                            "registration_open_at",
                            "eligibility_open_at",
                            "roadshow_open_at",
                            "review_open_at",
                            "notice_open_at",
                            "results_open_at",
                        ]
                    )
                },
            )
        )
    Contest.objects.bulk_create(contests)
    for number, scenario in enumerate(contest_scenarios):
        challenges.append(
            Challenge(
                contest=contests[number // CHALLENGES_PER_CONTEST],
                scenario=scenario,
                title=f"揭榜：{scenario.title}"[:100],
                requirements="面向场景需求提供可落地的技术方案。",
                award_cap=Decimal(rng.randrange(20, 101) * 10000),
                created_by=author,
            )
        )
    Challenge.objects.bulk_create(challenges)
    entry_statuses = {"draft": 10, "submitted": 15, "eligible": 55, "ineligible": 12, "withdrawn": 8}
    for challenge in challenges:
        for lead in rng.sample(company_list, rng.randrange(0, 21)):
            status = pick(rng, entry_statuses)
            contest_entries.append(
                ContestEntry(
                    challenge=challenge,
                    lead=lead,
                    created_by=author,
                    title=f"{lead.name}揭榜方案"[:100],
                    summary="技术路线、实施计划与预期成效。",
                    status=status,
                    submitted_at=None if status == "draft" else now,
                )
            )
    ContestEntry.objects.bulk_create(contest_entries, batch_size=2000)
    sheets, winners = [], []
    for entry in contest_entries:
        if entry.status != "eligible" or rng.random() < 0.2:
            continue
        submitted = rng.random() < 0.9
        for judge in rng.sample(judges, 3):
            sheets.append(
                ScoreSheet(
                    entry=entry,
                    judge=judge,
                    status="submitted" if submitted else "draft",
                    submitted_at=now if submitted else None,
                    content_sha256="0" * 64 if submitted else "",
                )
            )
        if submitted and len([w for w in winners if w.challenge_id == entry.challenge_id]) < 2 and rng.random() < 0.4:
            winners.append(entry)
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    ContestEntry.objects.filter(pk__in=[entry.pk for entry in winners]).update(credit_check="passed")
    challenge_of = {challenge.pk: challenge for challenge in challenges}
    Award.objects.bulk_create(
        [
            Award(
                entry=entry,
                challenge_id=entry.challenge_id,
                contest_id=challenge_of[entry.challenge_id].contest_id,
                amount=challenge_of[entry.challenge_id].award_cap * Decimal(rng.choice(["0.5", "0.8", "1"])),
                decided_by=author,
            )
            for entry in winners
        ]
    )
    agreed = [entry for entry in winners if rng.random() < 0.6]
    CooperationAgreement.objects.bulk_create(
        [
            CooperationAgreement(
                entry=entry,
                mode=rng.choice(["procurement", "joint"]),
                contract_amount=Decimal(rng.randrange(50, 500) * 10000),
                recorded_by=author,
            )
            for entry in agreed
        ]
    )

    # Enquiries over three years: answered on time, late, open, overdue; rated or not.
    enquiries = []
    for number in range(ENQUIRIES):
        asked = moment(rng) if number % 10 else now - datetime.timedelta(days=rng.randrange(0, 20))
        due = timezone.localdate(asked) + datetime.timedelta(days=10)
        answered = asked + datetime.timedelta(hours=rng.randrange(2, 400)) if rng.random() < 0.78 else None
        if answered is not None and answered > now:
            answered = None
        scenario = public[number % len(public)] if number % 3 else None
        enquiries.append(
            Enquiry(
                company=company_list[number % len(company_list)],
                asked_by=author,
                scenario=scenario,
                addressee=scenario.publisher if scenario else publishers[number % len(publishers)],
                subject=f"关于场景技术需求的咨询（{number:05d}）",
                question="请问该场景对设备的接口与部署方式有何要求？",
                status="open" if answered is None else rng.choice(["answered", "closed"]),
                due_date=due,
                answer="" if answered is None else "已答复。",
                answered_at=answered,
                rating=rng.choice([None, None, 5, 5, 4, 4, 3, 2, 1]) if answered else None,
                created_at=asked,
            )
        )
    with own_timestamps(Enquiry._meta.get_field("created_at")):
        Enquiry.objects.bulk_create(enquiries, batch_size=5000)

    # Recommended matches (every public scenario), the winners' pairs among them, and the events.
    generation = MatchingModel.objects.create(state="active")
    pairs = set()
    for scenario in public:
        for index in rng.sample(range(len(listed)), MATCHES_PER_SCENARIO):
            pairs.add((scenario.pk, listed[index].pk))
    scenario_of = {challenge.pk: challenge.scenario_id for challenge in challenges}
    for entry in agreed:
        for offered in entries_of.get(entry.lead_id, [])[:2]:
            pairs.add((scenario_of[entry.challenge_id], offered.pk))
    pairs = sorted(pairs)
    Match.objects.bulk_create(
        [
            Match(
                generation=generation,
                scenario_id=scenario_id,
                entry_id=entry_id,
                score=round(rng.uniform(0.3, 0.95), 4),
                text=0.5,
                coverage=0.5,
                fields=0.5,
                district=1.0,
                credential=0.0,
                fit=0.5,
                explanation="技术需求与产品能力匹配。",
            )
            for scenario_id, entry_id in pairs
        ],
        batch_size=5000,
    )
    events = MatchmakingEvent.objects.bulk_create(
        [
            MatchmakingEvent(
                title=f"应用场景供需对接会（第{n + 1}期）",
                starts_at=moment(rng),
                venue="宁波国际会议中心",
                host=publishers[n % len(publishers)],
                created_by=author,
            )
            for n in range(EVENTS)
        ]
    )
    outcomes = {"pending": 20, "no_interest": 20, "intent": 25, "follow_up": 20, "contract": 15}
    agenda = []
    for event in events:
        chosen = set(rng.sample(pairs, 20))
        while len(chosen) < AGENDA_PER_EVENT:
            chosen.add((rng.choice(public).pk, rng.choice(listed).pk))
        agenda.extend(
            AgendaItem(event=event, scenario_id=s, entry_id=e, position=p, outcome=pick(rng, outcomes))
            for p, (s, e) in enumerate(sorted(chosen))
        )
    AgendaItem.objects.bulk_create(agenda, batch_size=2000)

    # Evaluation: closed rounds of 2024 and 2025 at every level with published results, an open
    # 2026 round (not counted), findings due around today, tolerance periods ending around today.
    subjects, results = [], []
    bands = [(90, "优"), (80, "良"), (60, "中"), (0, "差")]
    for year, status in ((2024, "closed"), (2025, "closed"), (2026, "scoring")):
        for level in ("enterprise", "industry", "city"):
            framework = Framework.objects.filter(level=level, status="published").order_by("-version").first()
            round_ = EvaluationRound.objects.create(
                title=f"{year}年度{LEVELS[level]}评估",
                level=level,
                year=year,
                framework=framework,
                status=status,
                opened_by=author,
            )
            if level == "enterprise":
                targets = [Subject(round=round_, title=s.title[:100], scenario=s) for s in rng.sample(later, 40)]
            elif level == "industry":
                targets = [Subject(round=round_, title=f"{d.name}产业评估", domain=d) for d in categories]
            else:
                targets = [Subject(round=round_, title="宁波市")] + [
                    Subject(round=round_, title=f"{d.name}评估", district=d) for d in districts
                ]
            subjects.extend(Subject.objects.bulk_create(targets))
            for subject in targets:
                total = Decimal(rng.randrange(4500, 9900)) / 100
                grade = next(name for floor, name in bands if total >= floor)
                for published in (False, True):
                    results.append(
                        SubjectResult(
                            subject=subject,
                            inputs={},
                            inputs_sha256="0" * 64,
                            results={},
                            total=total,
                            grade=grade,
                            is_published=published and (status == "closed" or rng.random() < 0.3),
                        )
                    )
    SubjectResult.objects.bulk_create(results, batch_size=1000)
    finding_statuses = {"open": 40, "in_progress": 25, "submitted": 15, "verified": 20}
    Finding.objects.bulk_create(
        [
            Finding(
                subject=rng.choice(subjects),
                severity=rng.choice(["serious", "general", "minor"]),
                description=f"问题{n:03d}：场景运营数据未按期报送。",
                recommendation="建立月度报送机制。",
                organisation=publishers[n % len(publishers)],
                due_date=today + datetime.timedelta(days=rng.randrange(-150, 90)),
                status=pick(rng, finding_statuses),
                created_by=author,
            )
            for n in range(FINDINGS)
        ]
    )
    tolerance_statuses = {"active": 60, "extended": 15, "ended": 15, "ended_early": 10}
    periods = []
    for scenario in rng.sample(
        [s for s in public if s.status in ("in_implementation", "demonstrated")], TOLERANCE_PERIODS
    ):
        ends = today + datetime.timedelta(days=rng.randrange(-60, 120))
        periods.append(
            TolerancePeriod(
                scenario=scenario,
                starts_on=ends - datetime.timedelta(days=365),
                ends_on=ends,
                original_ends_on=ends,
                status=pick(rng, tolerance_statuses),
                created_by=author,
            )
        )
    TolerancePeriod.objects.bulk_create(periods)
    programme = build_programme(rng, author, districts, publishers, company_list, subjects, agreed, winners)
    User.objects.create(username=MARKER, display_name="驾驶舱基准数据版本", is_active=False)
    print(
        f"data: {SCENARIOS} scenarios ({len(changes)} status changes), {ENTRIES} entries, {CONTESTS} contests "
        f"({len(challenges)} challenges, {len(contest_entries)} entries, {len(winners)} awards, {len(agreed)} "
        f"agreements), {ENQUIRIES} enquiries, {len(pairs)} matches, {len(agenda)} agenda items, "
        f"{len(results)} evaluation results; {programme}; built in {time.perf_counter() - started:.0f} s"
    )
    return operator


REPORT_WEIGHTS = {  # a cycle's report states: closed cycles, the open one past its due date, the current one
    "closed": {"accepted": 88, "submitted": 3, "returned": 3, "not_started": 6},
    "overdue": {"accepted": 55, "submitted": 18, "returned": 5, "draft": 8, "not_started": 14},
    "current": {"accepted": 5, "submitted": 20, "draft": 25, "not_started": 50},
}
LAMP_WEIGHTS = {"green": 72, "blue": 12, "yellow": 10, "red": 6}
UNFILED = ("not_started", "draft", "returned")
TYPICAL_CASES, REPLICATIONS, HIGH_GROWTH, PRODUCT_USES_PER_AGREEMENT = 80, 3000, 3000, 2


def build_programme(rng, author, districts, publishers, companies, subjects, agreed, winners) -> str:
    """What the programme charts read: the six tasks' reports over a year of monthly cycles, 督办单,
    typical cases and their replications, verified companies on the 高成长性 list, a current
    target per metric (and one archived, and a district's), the 2025 assessment scheme, product uses."""
    if ProgrammeTask.objects.count() < 6:  # the data migration seeds them; a flushed database does not
        from django.apps import apps

        seed_programme(apps)
    today, now = timezone.localdate(), timezone.now()
    task_units = list(TaskUnit.objects.select_related("task").order_by("task__code", "unit__sort_order", "id"))

    # 12 monthly cycles up to this month: the last two open (last month's is past its due date).
    months = [(today.year * 12 + today.month - 1 - back) for back in range(11, -1, -1)]
    cycles = []
    for index, month in enumerate(months):
        first = datetime.date(month // 12, month % 12 + 1, 1)
        is_open = index >= len(months) - 2
        cycles.append(
            ReportingCycle(
                label=f"{first.year}年{first.month}月调度",
                kind="monthly",
                month=first,
                opens_on=first,
                due_on=first.replace(day=25),
                status="open" if is_open else "closed",
                opened_by=author,
                closed_at=None if is_open else datetime.datetime.combine(first.replace(day=28), datetime.time(), UTC),
                closed_by=None if is_open else author,
            )
        )
    ReportingCycle.objects.bulk_create(cycles)
    reports, filed_on = [], []
    for cycle in cycles:
        phase = "closed" if cycle.status == "closed" else "overdue" if cycle.due_on < today else "current"
        for link in task_units:
            status = pick(rng, REPORT_WEIGHTS[phase])
            lamp = pick(rng, LAMP_WEIGHTS)
            if status in UNFILED and phase != "current" and rng.random() < 0.8:
                lamp = "red"  # the overdue rule
            filed = status not in ("not_started", "draft")
            reports.append(
                UnitReport(
                    cycle=cycle,
                    task=link.task,
                    unit=link.unit,
                    role=link.role,
                    status=status,
                    narrative="本月推进情况。" if status != "not_started" else "",
                    percentage=rng.randrange(10, 100) if status != "not_started" else None,
                    lamp=lamp,
                    lamp_reasons=["逾期未报"] if lamp == "red" and not filed else [],
                    lamp_since=now if lamp != "green" else None,
                )
            )
            # some are filed late: after the due date (an older cycle's) or not yet decided
            late = rng.random() < 0.12
            shift = rng.randrange(1, 6) if late else -rng.randrange(0, 10)
            filed_on.append(cycle.due_on + datetime.timedelta(days=shift))
    UnitReport.objects.bulk_create(reports, batch_size=2000)
    versions = []
    for report, day in zip(reports, filed_on):
        if report.status not in ("submitted", "accepted", "returned"):
            continue
        submitted = datetime.datetime.combine(min(day, today), datetime.time(10), SHANGHAI)
        decided = report.status != "submitted"
        versions.append(
            UnitReportVersion(
                report=report,
                number=1,
                narrative=report.narrative,
                percentage=report.percentage,
                submitted_by=author,
                submitted_at=submitted,
                decision="" if not decided else report.status,
                decided_by=author if decided else None,
                decided_at=submitted + datetime.timedelta(days=2) if decided else None,
            )
        )
    UnitReportVersion.objects.bulk_create(versions, batch_size=2000)
    red = [report for report in reports if report.lamp == "red"]
    notices = [
        SupervisionNotice(
            report=report,
            unit=report.unit,
            reason="任务推进明显滞后，请说明原因并提出整改措施。",
            response_due_on=report.cycle.due_on + datetime.timedelta(days=15),
            status=pick(rng, {"open": 35, "answered": 25, "closed": 40}),
            issued_by=author,
        )
        for report in rng.sample(red, min(len(red), 40))
    ]
    for notice in notices:
        if notice.status != "open":
            notice.response, notice.responded_by, notice.responded_at = "已整改。", author, now
        if notice.status == "closed":
            notice.closing_note, notice.closed_by, notice.closed_at = "同意办结。", author, now
    SupervisionNotice.objects.bulk_create(notices)

    # Typical cases of enterprise-level subjects, and their replications (verified, pending,
    # rejected; an adopter replicating one case again — counted once; ties on the verified time).
    with_scenario = [subject for subject in subjects if subject.scenario_id is not None]
    cases = []
    for subject in rng.sample(with_scenario, min(TYPICAL_CASES, len(with_scenario))):
        status = pick(rng, {"approved": 65, "proposed": 15, "more_info": 5, "dismissed": 15})
        decided = status in ("approved", "dismissed")
        cases.append(
            TypicalCase(
                subject=subject,
                status=status,
                title=f"典型案例：{subject.title}"[:100],
                supplier=rng.choice(companies),
                decided_by=author if decided else None,
                decided_at=moment(rng) if decided else None,
            )
        )
    TypicalCase.objects.bulk_create(cases)
    adopters = companies[:1500] + list(publishers)
    replications = []
    for number in range(REPLICATIONS):
        status = pick(rng, {"verified": 72, "pending": 18, "rejected": 10})
        if number % 10 == 9 and replications:  # the same adopter and case again
            earlier = replications[rng.randrange(len(replications))]
            case, adopter = earlier.case, earlier.adopter
            tie = number % 30 == 29 and earlier.verified_at is not None
        else:
            case, adopter, tie = rng.choice(cases), rng.choice(adopters), False
        verified_at = (earlier.verified_at if tie else moment(rng)) if status != "pending" else None
        if verified_at is not None and verified_at > now:
            verified_at = now - datetime.timedelta(days=rng.randrange(1, 30))
        replications.append(
            Replication(
                case=case,
                adopter=adopter,
                kind=rng.choice(["scenario", "adoption"]),
                description="在本单位推广应用该案例的解决方案。",
                status=status,
                recorded_by=author,
                verified_by=author if verified_at else None,
                verified_at=verified_at,
            )
        )
    Replication.objects.bulk_create(replications, batch_size=2000)

    # Companies verified over three years (some pending or refused); the 高成长性 list: listed,
    # some delisted and some of those listed again.
    for organisation in companies:
        roll = rng.random()
        organisation.verification_status = "verified" if roll < 0.82 else "pending" if roll < 0.95 else "rejected"
        organisation.verified_at = moment(rng) if organisation.verification_status != "pending" else None
        if organisation.verified_at and organisation.verified_at > now:
            organisation.verified_at = now
    Organisation.objects.bulk_update(companies, ["verification_status", "verified_at"], batch_size=1000)
    span = (today - datetime.date(2024, 1, 1)).days
    listings, flagged = [], []
    for organisation in rng.sample(companies, HIGH_GROWTH):
        listed = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(span))
        delisted = None
        if rng.random() < 0.15 and (today - listed).days > 40:
            delisted = listed + datetime.timedelta(days=rng.randrange(30, (today - listed).days))
        listings.append(HighGrowthListing(organisation=organisation, listed_on=listed, delisted_on=delisted))
        if delisted and rng.random() < 0.5 and (today - delisted).days > 2:
            again = delisted + datetime.timedelta(days=rng.randrange(1, (today - delisted).days))
            listings.append(HighGrowthListing(organisation=organisation, listed_on=again))
            delisted = None
        if delisted is None:
            organisation.is_high_growth = True
            flagged.append(organisation)
    HighGrowthListing.objects.bulk_create(listings, batch_size=2000)
    Organisation.objects.bulk_update(flagged, ["is_high_growth"], batch_size=1000)

    # Targets: the policy's (2025, seeded by the migration), the current horizon's with a plan, an
    # archived one (never the current target), and one district's running through the year filter.
    horizon = datetime.date(today.year + 1, 12, 31)
    yinzhou = District.objects.get(code=FILTERED["district"])
    targets = []
    for metric, value in (("flagship", 30), ("replications", 300), ("high_growth", 3000)):
        targets += [
            Target(
                metric=metric,
                title=f"{metric} {today.year}—{horizon.year}",
                target_value=value,
                baseline=value // 10,
                starts_on=datetime.date(today.year, 1, 1),
                deadline=horizon,
                created_by=author,
            ),
            Target(
                metric=metric,
                title=f"{metric}（已归档）",
                target_value=value,
                starts_on=datetime.date(today.year, 1, 1),
                deadline=datetime.date(today.year, 12, 31),
                is_archived=True,
                created_by=author,
            ),
            Target(
                metric=metric,
                title=f"{metric}（{yinzhou.name}）",
                district=yinzhou,
                target_value=max(value // 10, 3),
                starts_on=datetime.date(FILTERED["year"], 1, 1),
                deadline=horizon,
                created_by=author,
            ),
        ]
    Target.objects.bulk_create(targets)
    TargetPlanPoint.objects.bulk_create(
        [
            TargetPlanPoint(
                target=target, day=datetime.date(today.year, 12, 31), planned_value=target.target_value // 2
            )
            for target in targets
            if not target.is_archived
        ]
    )

    # The 2025 assessment scheme (the migration seeds the first year's); product uses of the
    # winners' agreements and procurements of other 入围 entries, by their scenarios' publishers.
    seed_assessment_scheme(AssessmentScheme, AssessmentItem, year=FILTERED["year"])
    eligible = ContestEntry.objects.filter(status="eligible").select_related(
        "challenge__contest", "challenge__scenario"
    )
    contest_of = {
        entry.pk: (entry.challenge.contest.results_open_at, entry.challenge.scenario.publisher_id) for entry in eligible
    }
    soes = [organisation for organisation in publishers if organisation.kind == "soe"]
    sources = [(agreement_entry, True) for agreement_entry in agreed] + [
        (entry, False) for entry in rng.sample(winners, len(winners) // 3)
    ]
    uses = []
    for number, (entry, agreement) in enumerate(sources):
        results_at, publisher_id = contest_of[entry.pk]
        results_day = timezone.localtime(results_at).date()
        for copy in range(PRODUCT_USES_PER_AGREEMENT if agreement else 1):
            used_on = results_day + datetime.timedelta(days=rng.randrange(-20, 400))  # some before: not counted
            used_on = min(used_on, today)
            status = pick(rng, {"verified": 75, "pending": 15, "rejected": 10})
            uses.append(
                ProductUse(
                    entry=entry,
                    organisation_id=publisher_id if copy == 0 else rng.choice(soes).pk,
                    agreement_id=None,
                    kind="agreement" if agreement else "procurement",
                    contract_number=f"HT-{number:05d}-{copy}",
                    amount=Decimal(rng.randrange(10, 500) * 10000),
                    used_on=used_on,
                    status=status,
                    recorded_by=author,
                    verified_by=author if status != "pending" else None,
                    verified_at=now if status != "pending" else None,
                )
            )
    ProductUse.objects.bulk_create(uses, batch_size=2000)
    return (
        f"{len(cycles)} cycles, {len(reports)} unit reports ({len(red)} red, {len(notices)} 督办单), "
        f"{len(cases)} typical cases, {len(replications)} replications, {len(listings)} 高成长性 listings, "
        f"{len(targets)} targets, {len(uses)} product uses"
    )


def ensure_snapshots() -> None:
    """A year of daily 十百千 snapshots: every metric, city-wide and in every district, growing."""
    if TargetSnapshot.objects.exists():
        return
    rng = random.Random(20261207)
    districts = list(District.objects.order_by("sort_order", "id"))
    first = timezone.localdate() - datetime.timedelta(days=365)
    rows = []
    for metric in ("flagship", "replications", "high_growth"):
        values = [rng.randrange(0, 20) for _ in districts]
        for offset in range(365):
            day = first + datetime.timedelta(days=offset)
            values = [value + (rng.random() < 0.05) for value in values]
            rows.append(TargetSnapshot(metric=metric, district=None, day=day, value=sum(values), rule_version=1))
            rows.extend(
                TargetSnapshot(metric=metric, district=district, day=day, value=value, rule_version=1)
                for district, value in zip(districts, values)
            )
    TargetSnapshot.objects.bulk_create(rows, batch_size=5000)
    print(f"data: {len(rows)} daily target snapshots (365 days × 3 metrics × city and {len(districts)} districts)")


# --------------------------------------------------------------------------------------- the raw SQL


class Sql:
    """One hand-written query's parameters, appended in the order the f-string places them."""

    def __init__(self, filters: cockpit.Filters):
        self.filters, self.params = filters, []

    def p(self, value) -> str:
        self.params.append(value)
        return "%s"

    def many(self, values) -> str:
        return "(" + ", ".join(self.p(value) for value in values) + ")"

    def year_at(self, column: str) -> str:
        """A datetime column within the filtered year, in Asia/Shanghai (as Django's __year)."""
        if not self.filters.year:
            return ""
        start = datetime.datetime(self.filters.year, 1, 1, tzinfo=SHANGHAI)
        end = datetime.datetime(self.filters.year + 1, 1, 1, tzinfo=SHANGHAI)
        adapt = connection.ops.adapt_datetimefield_value
        return f" AND {column} >= {self.p(adapt(start))} AND {column} < {self.p(adapt(end))}"

    def year_is(self, column: str) -> str:
        return f" AND {column} = {self.p(self.filters.year)}" if self.filters.year else ""

    def district(self, *columns: str) -> str:
        if not self.filters.district:
            return ""
        return " AND (" + " OR ".join(f"{column} = {self.p(self.filters.district)}" for column in columns) + ")"

    def day(self, value: datetime.date) -> str:
        return self.p(connection.ops.adapt_datefield_value(value))


def answered_by_due(answered: str, due: str) -> str:
    """The answer's date in Asia/Shanghai is on or before the due date (no DST there since 1991)."""
    if connection.vendor == "postgresql":
        return f"{answered} < (({due} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')"
    return f"{answered} < datetime({due}, '+1 day', '-8 hours')"


SUBMITTED_ENTRY = ("submitted", "eligible", "ineligible")


def sql_published_scenarios(q: Sql, alias="s") -> str:
    return (
        f"{alias}.status IN {q.many(sorted(PUBLIC))} AND {alias}.published_at IS NOT NULL"
        f"{q.year_at(f'{alias}.published_at')}{q.district(f'{alias}.district_id')}"
    )


def join_if(condition, join: str) -> str:
    """A join only a filter needs (the floor leaves it out when the filter is not set)."""
    return f" {join}" if condition else ""


def sql_listed(q: Sql, joins: str = "") -> str:
    company = join_if(q.filters.district, "JOIN accounts_organisation o ON o.id = e.company_id")
    return (
        f"FROM capability_list_capabilityentry e{joins}{company} "
        f"WHERE e.status = {q.p('listed')} AND e.listed_at IS NOT NULL{q.year_at('e.listed_at')}"
        f"{q.district('o.district_id')}"
    )


def sql_enquiries(q: Sql) -> str:
    addressee = join_if(q.filters.district, "JOIN accounts_organisation o ON o.id = n.addressee_id")
    conditions = f"{q.year_at('n.created_at')}{q.district('o.district_id')}"
    return f"FROM capability_list_enquiry n{addressee} WHERE 1 = 1{conditions}"


def contest_filter(q: Sql, challenge: str) -> tuple[str, str]:
    """(joins, conditions) of the year (the contest's) and the district (the challenge's scenario)."""
    joins = join_if(q.filters.year, f"JOIN contests_contest k ON k.id = {challenge}.contest_id") + join_if(
        q.filters.district, f"JOIN scenarios_scenario s ON s.id = {challenge}.scenario_id"
    )
    return joins, f"{q.year_is('k.year')}{q.district('s.district_id')}"


def sql_challenges(q: Sql) -> str:
    joins, conditions = contest_filter(q, "c")
    return f"SELECT COUNT(*) FROM contests_challenge c{joins} WHERE 1 = 1{conditions}"


def sql_award_money(q: Sql) -> str:
    joins = join_if(q.filters.year, "JOIN contests_contest k ON k.id = a.contest_id") + join_if(
        q.filters.district,
        "JOIN contests_challenge c ON c.id = a.challenge_id JOIN scenarios_scenario s ON s.id = c.scenario_id",
    )
    return (
        f"SELECT COALESCE(SUM(a.amount), 0) FROM contests_award a{joins} "
        f"WHERE 1 = 1{q.year_is('k.year')}{q.district('s.district_id')}"
    )


def sql_contest_entries(q: Sql, select: str, joins: str = "", status: str = "") -> str:
    status = status or f"e.status IN {q.many(SUBMITTED_ENTRY)}"  # its parameters come before the filters'
    challenge = join_if(q.filters.year or q.filters.district, "JOIN contests_challenge c ON c.id = e.challenge_id")
    contest_joins, conditions = contest_filter(q, "c")
    return f"SELECT {select} FROM contests_contestentry e{joins}{challenge}{contest_joins} WHERE {status}{conditions}"


def raw_key_figures(q: Sql) -> str:
    return f"""
SELECT 'scenarios', (SELECT COUNT(*) FROM scenarios_scenario s WHERE {sql_published_scenarios(q)})
UNION ALL SELECT 'challenges', ({sql_challenges(q)})
UNION ALL SELECT 'entries', ({sql_contest_entries(q, "COUNT(*)")})
UNION ALL SELECT 'award-money', ({sql_award_money(q)})
UNION ALL SELECT 'capability-entries', (SELECT COUNT(*) {sql_listed(q)})
UNION ALL SELECT 'enquiries-on-time', (SELECT COUNT(*) {sql_enquiries(q)}
    AND n.answered_at IS NOT NULL AND {answered_by_due("n.answered_at", "n.due_date")})
"""


def raw_grouped(key: str, source: str, distinct: str = "*") -> str:
    return f"SELECT {key} AS k, COUNT({distinct}) {source} GROUP BY {key}"


def raw_scenarios_by_domain(q: Sql) -> str:
    return raw_grouped(
        "COALESCE(d.parent_id, s.domain_id)",
        "FROM scenarios_scenario s LEFT JOIN scenarios_domain d ON d.id = s.domain_id "
        f"WHERE {sql_published_scenarios(q)}",
    )


def raw_scenarios_by(column: str) -> callable:
    return lambda q: raw_grouped(column, f"FROM scenarios_scenario s WHERE {sql_published_scenarios(q)}")


def raw_contest_funnel(q: Sql) -> str:
    """The entries' figures in one pass over the submitted entries, the challenges and the money beside."""
    scored = "EXISTS (SELECT 1 FROM contests_scoresheet h WHERE h.entry_id = e.id AND h.status = 'submitted')"
    entries = sql_contest_entries(
        q,
        "COUNT(*), SUM(CASE WHEN e.status = 'eligible' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN e.status = 'eligible' AND {scored} THEN 1 ELSE 0 END), COUNT(a.id), COUNT(g.id), "
        f"({sql_challenges(q)}), ({sql_award_money(q)})",
        joins=" LEFT JOIN contests_award a ON a.entry_id = e.id"
        " LEFT JOIN contests_cooperationagreement g ON g.entry_id = e.id",
    )
    return entries


FUNNEL_KEYS = ["entries", "qualified", "scored", "winners", "agreements", "challenges", "award-money"]


def raw_capability_by_industry(q: Sql) -> str:
    return raw_grouped(
        "COALESCE(i.section_id, e.industry_id)",
        sql_listed(q, " LEFT JOIN capability_list_industry i ON i.id = e.industry_id"),
    )


def raw_capability_by_credential(q: Sql) -> str:
    return raw_grouped(
        "r.kind",
        sql_listed(q, " LEFT JOIN capability_list_credential r ON r.entry_id = e.id"),
        distinct="DISTINCT e.id",
    )


def raw_enquiry_timeliness(q: Sql) -> str:
    today = timezone.localdate()
    key = (
        f"CASE WHEN n.answered_at IS NULL AND n.due_date < {q.day(today)} THEN 'overdue' "
        "WHEN n.answered_at IS NULL THEN 'open' "
        f"WHEN {answered_by_due('n.answered_at', 'n.due_date')} THEN 'on_time' ELSE 'late' END"
    )
    return f"SELECT k, COUNT(*) FROM (SELECT {key} AS k {sql_enquiries(q)}) t GROUP BY k"


def raw_enquiry_satisfaction(q: Sql) -> str:
    return raw_grouped("n.rating", sql_enquiries(q) + " AND n.answered_at IS NOT NULL")


def raw_matchmaking(q: Sql) -> str:
    """Five counts as scalar subqueries, each a WHERE EXISTS the planner can turn into a semi-join
    (one pass with SUM(CASE WHEN EXISTS …) is several times slower on PostgreSQL)."""
    met = (
        "EXISTS (SELECT 1 FROM capability_list_agendaitem a "
        "WHERE a.scenario_id = m.scenario_id AND a.entry_id = m.entry_id)"
    )
    contract = met.replace(")", " AND a.outcome = 'contract')")
    agreement = (
        "EXISTS (SELECT 1 FROM contests_challenge ch JOIN contests_contestentry ce ON ce.challenge_id = ch.id "
        "JOIN contests_cooperationagreement g ON g.entry_id = ce.id "
        "WHERE ch.scenario_id = m.scenario_id AND ce.lead_id = ee.company_id)"
    )
    filtered = q.filters.year or q.filters.district

    def matches(condition: str = "", entry: bool = False) -> str:
        joins = join_if(entry, "JOIN capability_list_capabilityentry ee ON ee.id = m.entry_id") + join_if(
            filtered, "JOIN scenarios_scenario s ON s.id = m.scenario_id"
        )
        return (
            f"(SELECT COUNT(*) FROM capability_list_match m{joins} WHERE 1 = 1{condition}"
            f"{q.year_at('s.published_at')}{q.district('s.district_id')})"
        )

    def agenda(condition: str = "") -> str:
        joins = join_if(q.filters.year, "JOIN capability_list_matchmakingevent v ON v.id = a.event_id") + join_if(
            q.filters.district, "JOIN scenarios_scenario s ON s.id = a.scenario_id"
        )
        return (
            f"(SELECT COUNT(*) FROM capability_list_agendaitem a{joins} WHERE 1 = 1{condition}"
            f"{q.year_at('v.starts_at')}{q.district('s.district_id')})"
        )

    return (
        f"SELECT {matches()}, {matches(f' AND {met}')}, {matches(f' AND ({contract} OR {agreement})', entry=True)}, "
        f"{agenda()}, {agenda(' AND a.outcome = ' + q.p('contract'))}"
    )


def raw_evaluation_grades(q: Sql) -> str:
    return raw_grouped(
        "r.level || '|' || sr.grade",
        "FROM evaluation_subjectresult sr JOIN evaluation_subject sb ON sb.id = sr.subject_id "
        "JOIN evaluation_evaluationround r ON r.id = sb.round_id"
        + join_if(q.filters.district, "LEFT JOIN scenarios_scenario sc ON sc.id = sb.scenario_id")
        + f" WHERE sr.is_published = {q.p(True)} AND r.status = 'closed'{q.year_is('r.year')}"
        f"{q.district('sb.district_id', 'sc.district_id')}",
    )


def raw_attention(q: Sql) -> str:
    today = timezone.localdate()
    scenario = join_if(q.filters.district, "JOIN scenarios_scenario s ON s.id = t.scenario_id")
    subject = join_if(
        q.filters.district,
        "JOIN evaluation_subject sb ON sb.id = f.subject_id LEFT JOIN scenarios_scenario sc ON sc.id = sb.scenario_id",
    )
    return f"""
SELECT 'tolerance-ending', (SELECT COUNT(*) FROM evaluation_toleranceperiod t{scenario}
    WHERE t.status IN ('active', 'extended') AND t.ends_on >= {q.day(today)}
    AND t.ends_on <= {q.day(today + datetime.timedelta(days=30))}{q.district("s.district_id")})
UNION ALL SELECT 'findings-overdue', (SELECT COUNT(*) FROM evaluation_finding f{subject}
    WHERE f.due_date < {q.day(today)} AND f.status <> 'verified'{q.district("sb.district_id", "sc.district_id")})
UNION ALL SELECT 'reports-attention', (SELECT COUNT(*) FROM steering_unitreport r
    JOIN steering_reportingcycle c ON c.id = r.cycle_id WHERE c.status = 'open'
    AND ((r.status IN ('not_started', 'draft', 'returned') AND c.due_on < {q.day(today)}) OR r.lamp = 'red'))
UNION ALL SELECT 'notices-open', (SELECT COUNT(*) FROM steering_supervisionnotice n WHERE n.status <> 'closed')
"""


def local_date(column: str) -> str:
    """The date of a datetime column in Asia/Shanghai (no DST there since 1991)."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({column}, '+8 hours')"


def by_code_points(column: str) -> str:
    """Order text as Python does (by code point): PostgreSQL's "C" collation, SQLite's default."""
    return f'{column} COLLATE "C"' if connection.vendor == "postgresql" else column


def as_of(filters: cockpit.Filters) -> tuple[datetime.date, datetime.datetime]:
    """The day the programme charts count to (31 December of a past year, else today) and its end
    (24:00 Beijing time)."""
    today = timezone.localdate()
    day = datetime.date(filters.year, 12, 31) if filters.year and filters.year < today.year else today
    return day, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)


def at(q: Sql, value: datetime.datetime) -> str:
    return q.p(connection.ops.adapt_datetimefield_value(value))


def raw_targets(q: Sql) -> str:
    """The three 十百千 rules at the end of the as-of day: flagship scenarios that reached 已示范 by
    then; verified replications of approved cases, one per adopter and case (the earliest verified,
    then the lowest id); verified companies (by then) on the 高成长性 list that day."""
    day, end = as_of(q.filters)
    adopter = join_if(q.filters.district, "JOIN accounts_organisation a ON a.id = r.adopter_id")
    return f"""
SELECT 'flagship', (SELECT COUNT(*) FROM scenarios_scenario s WHERE s.is_flagship = {q.p(True)}
    AND EXISTS (SELECT 1 FROM scenarios_scenariostatuschange c WHERE c.scenario_id = s.id
        AND c.to_status = 'demonstrated' AND c.created_at < {at(q, end)}){q.district("s.district_id")})
UNION ALL SELECT 'replications', (SELECT COUNT(*) FROM evaluation_replication r
    JOIN evaluation_typicalcase tc ON tc.id = r.case_id{adopter}
    WHERE r.status = 'verified' AND tc.status = 'approved' AND r.verified_at < {at(q, end)}
    AND NOT EXISTS (SELECT 1 FROM evaluation_replication e WHERE e.case_id = r.case_id
        AND e.adopter_id = r.adopter_id AND e.status = 'verified'
        AND (e.verified_at < r.verified_at OR (e.verified_at = r.verified_at AND e.id < r.id)))
    {q.district("a.district_id")})
UNION ALL SELECT 'high_growth', (SELECT COUNT(*) FROM accounts_organisation o
    WHERE o.kind = 'company' AND o.verification_status = 'verified'
    AND (o.verified_at < {at(q, end)} OR (o.verified_at IS NULL AND o.created_at < {at(q, end)}))
    AND EXISTS (SELECT 1 FROM steering_highgrowthlisting l WHERE l.organisation_id = o.id
        AND l.listed_on <= {q.day(day)} AND (l.delisted_on IS NULL OR l.delisted_on > {q.day(day)}))
    {q.district("o.district_id")})
"""


def raw_target_lines(q: Sql) -> str:
    """Per metric, the newest stored snapshot of the scope from the current target's start (a year
    back without a target; at most three years back) to the as-of day. The current target: of the
    scope's unarchived targets, the nearest deadline not passed, else the latest."""
    day, _end = as_of(q.filters)

    def scope(column: str) -> str:
        return f"{column} = {q.p(q.filters.district)}" if q.filters.district else f"{column} IS NULL"

    running = f"t.deadline >= {q.day(day)}"
    ranked = (
        f"SELECT t.metric, t.starts_on, ROW_NUMBER() OVER (PARTITION BY t.metric ORDER BY "
        f"CASE WHEN {running} THEN 0 ELSE 1 END, CASE WHEN t.deadline >= {q.day(day)} THEN t.deadline END, "
        f"t.deadline DESC, t.id DESC) AS n FROM steering_target t "
        f"WHERE t.is_archived = {q.p(False)} AND {scope('t.district_id')}"
    )
    return f"""
WITH current_target AS ({ranked})
SELECT m.metric, (SELECT sn.value FROM steering_targetsnapshot sn
    LEFT JOIN current_target ct ON ct.metric = sn.metric AND ct.n = 1
    WHERE sn.metric = m.metric AND {scope("sn.district_id")} AND sn.day <= {q.day(day)}
    AND sn.day >= COALESCE(ct.starts_on, {q.day(day - datetime.timedelta(days=365))})
    AND sn.day >= {q.day(day - datetime.timedelta(days=3 * 366))}
    ORDER BY sn.day DESC LIMIT 1)
FROM (SELECT 'flagship' AS metric UNION ALL SELECT 'replications' UNION ALL SELECT 'high_growth') m
"""


def raw_lamp_matrix(q: Sql) -> str:
    """Per task, its red unit reports in the cycles opened in the year (this year without a filter)."""
    year = q.filters.year or timezone.localdate().year
    return (
        "SELECT t.code, COUNT(*) FROM steering_unitreport r "
        "JOIN steering_reportingcycle c ON c.id = r.cycle_id JOIN steering_programmetask t ON t.id = r.task_id "
        f"WHERE c.opens_on >= {q.day(datetime.date(year, 1, 1))} "
        f"AND c.opens_on <= {q.day(datetime.date(year, 12, 31))} AND r.lamp = 'red' GROUP BY t.code"
    )


def raw_soe_assessment(q: Sql) -> str:
    """The ten best SOE totals of the year's scheme: per SOE item min(count × points, cap), summed.
    Scenario items count the SOE's scenarios whose first submission / publication / first
    challenge / first 实施中 / first 已示范 falls in the year (submissions: not rejected or
    withdrawn now); products_used counts the SOE's verified uses, dated in the year and on or after
    the result day, of 入围 entries (eligible, credit check not failed, results published)."""
    year = q.filters.year or timezone.localdate().year
    start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)

    def in_year(column: str) -> str:
        return f"{column} >= {at(q, start)} AND {column} < {at(q, end)}"

    def first(status: str) -> str:
        return (
            "(SELECT MIN(c.created_at) FROM scenarios_scenariostatuschange c "
            f"WHERE c.scenario_id = s.id AND c.to_status = '{status}')"
        )

    return f"""
WITH firsts AS (
    SELECT s.id, s.publisher_id, s.status, s.published_at, {first("submitted")} AS submitted_at,
        {first("in_implementation")} AS implemented_at, {first("demonstrated")} AS demonstrated_at
    FROM scenarios_scenario s JOIN accounts_organisation p ON p.id = s.publisher_id WHERE p.kind = 'soe'
), counts AS (
    SELECT publisher_id AS org, 'scenarios_opened' AS code, COUNT(*) AS n FROM firsts
        WHERE {in_year("submitted_at")} AND status NOT IN ('rejected', 'withdrawn') GROUP BY publisher_id
    UNION ALL SELECT publisher_id, 'scenarios_published', COUNT(*) FROM firsts
        WHERE {in_year("published_at")} GROUP BY publisher_id
    UNION ALL SELECT publisher_id, 'scenarios_in_implementation', COUNT(*) FROM firsts
        WHERE {in_year("implemented_at")} GROUP BY publisher_id
    UNION ALL SELECT publisher_id, 'scenarios_demonstrated', COUNT(*) FROM firsts
        WHERE {in_year("demonstrated_at")} GROUP BY publisher_id
    UNION ALL SELECT s.publisher_id, 'scenarios_in_contest', COUNT(DISTINCT s.id) FROM scenarios_scenario s
        JOIN accounts_organisation p ON p.id = s.publisher_id JOIN contests_challenge ch ON ch.scenario_id = s.id
        WHERE p.kind = 'soe' AND {in_year("ch.created_at")} GROUP BY s.publisher_id
    UNION ALL SELECT u.organisation_id, 'products_used', COUNT(*) FROM steering_productuse u
        JOIN accounts_organisation o ON o.id = u.organisation_id
        JOIN contests_contestentry e ON e.id = u.entry_id JOIN contests_challenge ch ON ch.id = e.challenge_id
        JOIN contests_contest k ON k.id = ch.contest_id
        WHERE u.status = 'verified' AND o.kind = 'soe' AND e.status = 'eligible' AND e.credit_check <> 'failed'
        AND k.results_open_at <= {at(q, timezone.now())} AND u.used_on >= {local_date("k.results_open_at")}
        AND u.used_on >= {q.day(datetime.date(year, 1, 1))} AND u.used_on <= {q.day(datetime.date(year, 12, 31))}
        GROUP BY u.organisation_id
)
SELECT o.id, SUM(CASE WHEN c.n * i.points > i.cap THEN i.cap ELSE c.n * i.points END) AS total
FROM accounts_organisation o JOIN counts c ON c.org = o.id
JOIN steering_assessmentitem i ON i.code = c.code AND i.subject = 'soe'
JOIN steering_assessmentscheme sc ON sc.id = i.scheme_id AND sc.year = {q.p(year)}
WHERE o.kind = 'soe' AND o.verification_status <> 'rejected'{q.district("o.district_id")}
GROUP BY o.id, o.name ORDER BY total DESC, {by_code_points("o.name")}, o.id LIMIT 10
"""


ONE_ROW = {  # the charts whose query answers one row of figures, in this order
    "contest-funnel": FUNNEL_KEYS,
    "matchmaking": ["recommended", "met", "contracted", "agenda", "agenda-contract"],
}
RAW = {
    "key-figures": raw_key_figures,
    "scenarios-by-domain": raw_scenarios_by_domain,
    "scenarios-by-district": raw_scenarios_by("s.district_id"),
    "scenarios-by-stage": raw_scenarios_by("CASE WHEN s.stage = '' THEN NULL ELSE s.stage END"),
    "scenarios-by-status": raw_scenarios_by("s.status"),
    "contest-funnel": raw_contest_funnel,
    "capability-by-industry": raw_capability_by_industry,
    "capability-by-credential": raw_capability_by_credential,
    "enquiry-timeliness": raw_enquiry_timeliness,
    "enquiry-satisfaction": raw_enquiry_satisfaction,
    "matchmaking": raw_matchmaking,
    "evaluation-grades": raw_evaluation_grades,
    "attention": raw_attention,
    "targets": raw_targets,
    "target-lines": raw_target_lines,
    "lamp-matrix": raw_lamp_matrix,
    "soe-assessment": raw_soe_assessment,
}


def raw_figures(code: str, filters: cockpit.Filters) -> dict:
    """{key: value} of one chart by its one raw query."""
    q = Sql(filters)
    sql = RAW[code](q)
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        rows = cursor.fetchall()
    if code in ONE_ROW:
        rows = list(zip(ONE_ROW[code], rows[0]))
    return {cockpit.NONE_KEY if key is None else str(key): value for key, value in rows}


def same_figures(payload: dict, raw: dict) -> bool:
    """The endpoint's items equal the SQL's (values compared as Decimal; zero items left out)."""

    def normal(pairs):
        values = {key: Decimal(str(value or 0)).quantize(Decimal("0.01")) for key, value in pairs}
        return {key: value for key, value in values.items() if value}

    return normal((key, value) for key, _name, value in payload["dataset"]["source"]) == normal(raw.items())


# --------------------------------------------------------------------------------------- measuring


def counted(function) -> tuple[int, float]:
    """The queries one call runs and their time in ms (the request's share spent in the database)."""
    count, spent = 0, 0.0

    def wrapper(execute, sql, params, many, context):
        nonlocal count, spent
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            count += 1
            spent += (time.perf_counter() - started) * 1000

    with connection.execute_wrapper(wrapper):
        function()
    return count, spent


def bench(client: Client, query: dict, filters: cockpit.Filters) -> tuple[list, bool]:
    rows, agree = [], True

    def timed(url: str) -> dict:
        def cold():
            cache.clear()
            assert client.get(url, query).status_code == 200

        def warm():
            assert client.get(url, query).status_code == 200

        cold_queries, warm_queries = counted(cold), counted(warm)
        return {
            "cold": summary(measure(cold, RUNS)),
            "warm": summary(measure(warm, RUNS)),
            "queries": f"{cold_queries[0]}/{warm_queries[0]}",
            "in_sql": cold_queries[1],
        }

    codes = [chart.code for chart in cockpit.charts_in_order()]
    for code in codes:
        url = f"/api/v1/cockpit/{code}/"
        cache.clear()
        payload = client.get(url, query).json()
        equal = code in RAW and same_figures(payload, raw_figures(code, filters))
        agree &= equal
        sql = summary(measure(lambda code=code: raw_figures(code, filters), RUNS)) if code in RAW else (0.0, 0.0)
        rows.append({"chart": code, **timed(url), "sql": sql, "equal": "yes" if equal else "NO"})
    page_sql = summary(measure(lambda: [raw_figures(code, filters) for code in codes if code in RAW], RUNS))
    rows.append({"chart": "page /steering/", **timed("/steering/"), "sql": page_sql, "equal": "(each)"})
    return rows, agree


def print_table(title: str, rows: list) -> None:
    print(title)
    print(
        f"{'chart':26} {'cold med':>9} {'cold p95':>9} {'warm med':>9} {'warm p95':>9} {'SQL med':>8} "
        f"{'cold/SQL':>9} {'warm/SQL':>9} {'queries c/w':>12} {'in DB':>7} {'= SQL':>6}"
    )
    for row in rows:
        (cold, cold95), (warm, warm95), (sql, _sql95) = row["cold"], row["warm"], row["sql"]
        print(
            f"{row['chart']:26} {cold:9.1f} {cold95:9.1f} {warm:9.1f} {warm95:9.1f} {sql:8.1f} "
            f"{cold / sql if sql else 0:9.1f} {warm / sql if sql else 0:9.2f} {row['queries']:>12} "
            f"{row['in_sql']:7.1f} {row['equal']:>6}"
        )


def main() -> None:
    operator = ensure_data()
    ensure_snapshots()
    if connection.vendor == "postgresql":  # the statistics autovacuum keeps on a live database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(operator)
    district = District.objects.get(code=FILTERED["district"])
    missing = [chart.code for chart in cockpit.charts_in_order() if chart.code not in RAW]
    counts = (
        f"{Scenario.objects.count()} scenarios, {CapabilityEntry.objects.count()} entries, "
        f"{Contest.objects.count()} contests, {Enquiry.objects.count()} enquiries, {Match.objects.count()} matches, "
        f"{TargetSnapshot.objects.count()} target snapshots"
    )
    agree = True
    for query, filters, label in (
        ({}, cockpit.Filters(), "all years, all districts"),
        (
            {"year": FILTERED["year"], "district": district.pk},
            cockpit.Filters(year=FILTERED["year"], district=district.pk),
            f"year {FILTERED['year']}, {district.name}",
        ),
    ):
        rows, equal = bench(client, query, filters)
        agree &= equal
        print_table(f"驾驶舱 — {counts}; {connection.vendor}; {label}; {RUNS} runs, ms", rows)
        print()
    if missing:
        print(f"charts without a raw SQL baseline (add one to RAW): {', '.join(missing)}")
    print("endpoint figures equal the raw SQL figures for every chart" if agree else "FIGURES DIFFER (see = SQL)")
    if not agree or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
