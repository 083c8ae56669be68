"""Ranking one challenge of 200 entries × 9 judges × 8 criteria, against the same aggregation as one SQL query.

    .venv/bin/python bench/bench_contest_ranking.py            # SQLite file bench/bench_contests.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/bench_contest_ranking.py

Prints median and p95 (ms) of:
  recompute   contests.services.ranking_recompute: read the sheets, compute (trimmed mean, subtotals,
              tie-breaks, diagnostics, leniency) and save the snapshot — what a submitted sheet triggers;
  compute     contests.ranking.compute_ranking alone, on inputs already read;
  SQL         one query: judge totals and subtotals, trimmed means by window functions, ordered;
and the ratios to SQL. It checks that the SQL scores equal the engine's (exits 1 if not).
"""

import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench_contests.sqlite3'}"
)
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Organisation, User  # noqa: E402
from bench.timing import measure, summary  # noqa: E402
from contests.models import Challenge, Contest, ContestEntry, Criterion, PanelMembership, Score, ScoreSheet  # noqa: E402
from contests.ranking import compute_ranking  # noqa: E402
from contests.selectors import ranking_inputs  # noqa: E402
from contests.services import ranking_recompute  # noqa: E402
from demo.accounts import demo_credit_code  # noqa: E402
from scenarios.models import Scenario  # noqa: E402

ENTRIES, JUDGES, RUNS = 200, 9, 15
CONTEST = "基准：200 方案 × 9 专家 × 8 评分项"
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


def ensure_data() -> Challenge:
    call_command("migrate", verbosity=0)
    existing = Challenge.objects.filter(contest__name=CONTEST).first()
    if existing is not None:
        return existing
    rng = random.Random(20261128)
    district = District.objects.first()
    author, _ = User.objects.get_or_create(username="bench", defaults={"display_name": "基准"})
    publisher, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code("宁波基准评审国资集团", district.code, "soe"),
        defaults={"name": "宁波基准评审国资集团", "kind": "soe", "district": district},
    )
    now = timezone.now()
    contest = Contest.objects.create(
        name=CONTEST,
        year=2026,
        award_budget=Decimal("10000000"),
        created_by=author,
        **{
            field: now + timedelta(days=offset)
            for offset, field in enumerate(
                [
                    "challenges_open_at",
                    "registration_open_at",
                    "eligibility_open_at",
                    "roadshow_open_at",
                    "review_open_at",
                    "notice_open_at",
                    "results_open_at",
                ],
                start=-3,
            )
        },
    )
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(contest=contest, dimension=d, name=n, max_points=p, position=i)
            for i, (d, n, p) in enumerate(RUBRIC)
        ]
    )
    scenario = Scenario.objects.create(
        title="基准评审场景", publisher=publisher, created_by=author, status="in_contest", published_at=now
    )
    challenge = Challenge.objects.create(
        contest=contest,
        scenario=scenario,
        title="基准榜单",
        requirements="基准",
        award_cap=Decimal("1000000"),
        created_by=author,
    )
    leads = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"宁波基准揭榜企业{n:03d}",
                kind="company",
                district=district,
                credit_code=demo_credit_code(f"宁波基准揭榜企业{n:03d}", district.code, "company"),
            )
            for n in range(ENTRIES)
        ]
    )
    entries = ContestEntry.objects.bulk_create(
        [
            ContestEntry(
                challenge=challenge,
                lead=lead,
                created_by=author,
                title=f"方案{n:03d}",
                summary="基准",
                status="eligible",
                submitted_at=now,
            )
            for n, lead in enumerate(leads)
        ]
    )
    judges = User.objects.bulk_create(
        [User(username=f"bench_judge_{n}", display_name=f"基准专家{n}") for n in range(JUDGES)]
    )
    PanelMembership.objects.bulk_create(
        [
            PanelMembership(challenge=challenge, judge=judge, is_chair=n == 0, assigned_by=author)
            for n, judge in enumerate(judges)
        ]
    )
    # Drafts first, signed once their scores are in: on PostgreSQL a signed sheet takes no new score.
    sheets = ScoreSheet.objects.bulk_create(
        [ScoreSheet(entry=entry, judge=judge) for entry in entries for judge in judges],
        batch_size=2000,
    )
    Score.objects.bulk_create(
        [
            Score(
                sheet=sheet,
                criterion=criterion,
                points=Decimal(rng.randint(criterion.max_points, criterion.max_points * 2)) / 2,
            )
            for sheet in sheets
            for criterion in criteria
        ],
        batch_size=5000,
    )
    ScoreSheet.objects.filter(entry__challenge=challenge).update(
        status="submitted", submitted_at=now, content_sha256="0" * 64
    )
    return challenge


# The same aggregation in SQL: judge totals and subtotals, then a trimmed mean per measure (with 5
# or more judges the first and last by value are left out), rounded to 2 places, best first.
SQL = """
WITH totals AS (
    SELECT sh.entry_id, sh.judge_id, SUM(sc.points) AS total,
           SUM(CASE WHEN c.dimension = 'technical' THEN sc.points ELSE 0 END) AS technical,
           SUM(CASE WHEN c.dimension = 'business' THEN sc.points ELSE 0 END) AS business
    FROM contests_scoresheet sh
    JOIN contests_score sc ON sc.sheet_id = sh.id
    JOIN contests_criterion c ON c.id = sc.criterion_id
    JOIN contests_contestentry e ON e.id = sh.entry_id
    WHERE e.challenge_id = %s AND e.status = 'eligible' AND sh.status = 'submitted'
    GROUP BY sh.entry_id, sh.judge_id
), ordered AS (
    SELECT entry_id, total, technical, business, COUNT(*) OVER (PARTITION BY entry_id) AS judges,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY total) AS total_up,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY total DESC) AS total_down,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY technical) AS technical_up,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY technical DESC) AS technical_down,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY business) AS business_up,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY business DESC) AS business_down
    FROM totals
)
SELECT entry_id,
       ROUND(AVG(CASE WHEN judges < 5 OR (total_up > 1 AND total_down > 1) THEN total END), 2) AS score,
       ROUND(AVG(CASE WHEN judges < 5 OR (technical_up > 1 AND technical_down > 1) THEN technical END), 2) AS technical,
       ROUND(AVG(CASE WHEN judges < 5 OR (business_up > 1 AND business_down > 1) THEN business END), 2) AS business
FROM ordered GROUP BY entry_id ORDER BY score DESC, technical DESC
"""


def one_sql(challenge) -> list:
    with connection.cursor() as cursor:
        cursor.execute(SQL, [challenge.pk])
        return cursor.fetchall()


def main() -> None:
    challenge = ensure_data()
    inputs = ranking_inputs(challenge)
    engine = {row["entry"]: Decimal(row["score"]) for row in compute_ranking(inputs)["entries"]}
    sql = {entry_id: Decimal(str(score)) for entry_id, score, _technical, _business in one_sql(challenge)}
    differing = [entry for entry in engine if abs(engine[entry] - sql.get(entry, Decimal(-1))) > Decimal("0.01")]
    results = {
        "SQL": summary(measure(lambda: one_sql(challenge), RUNS)),
        "compute": summary(measure(lambda: compute_ranking(inputs), RUNS)),
        "recompute": summary(measure(lambda: ranking_recompute(challenge, trigger="bench"), RUNS)),
    }
    print(
        f"contest ranking — {ENTRIES} entries × {JUDGES} judges × {len(RUBRIC)} criteria "
        f"({len(inputs['sheets'])} sheets), {connection.vendor}, {RUNS} runs"
    )
    print(f"{'':10} {'median ms':>10} {'p95 ms':>10} {'median / SQL':>13}")
    for name, (median, p95) in results.items():
        print(f"{name:10} {median:10.1f} {p95:10.1f} {median / results['SQL'][0]:13.1f}")
    print(f"SQL and engine scores agree on {len(engine) - len(differing)} / {len(engine)} entries")
    if differing:
        sys.exit(1)


if __name__ == "__main__":
    main()
