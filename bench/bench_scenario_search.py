"""Catalogue search at 10,000 scenarios: the page and the API against the same query as plain SQL.

    .venv/bin/python bench/bench_scenario_search.py            # SQLite file bench/bench.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/bench_scenario_search.py

Prints median and p95 (ms) of a filtered keyword search (q=停车, district, stage) for the page,
the API and the plain SQL, and the ratios page/SQL and API/SQL. The machine is shared and noisy:
read the ratios, not the absolute times.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, Organisation, User  # noqa: E402
from bench.synthetic import scenario_rows  # noqa: E402
from bench.timing import measure, summary  # noqa: E402
from demo.accounts import demo_credit_code  # noqa: E402
from scenarios.models import Domain, NeedItem, Scenario  # noqa: E402
from scenarios.services import refresh_search_text  # noqa: E402

SCENARIOS = 10_000
RUNS = 40
QUERY = {"q": "停车", "district": "haishu", "stage": "planned"}


def ensure_data() -> None:
    call_command("migrate", verbosity=0)
    if Scenario.objects.count() >= SCENARIOS:
        return
    Scenario.objects.filter(challenges__isnull=True).delete()  # other benches may keep a challenge on the same database
    districts = list(District.objects.all())
    domains = list(Domain.objects.filter(parent__isnull=False))
    publisher, _ = Organisation.objects.get_or_create(
        credit_code=demo_credit_code("宁波基准测试国资集团", "yinzhou", "soe"),
        defaults={"name": "宁波基准测试国资集团", "kind": "soe", "district": districts[0]},
    )
    author, _ = User.objects.get_or_create(username="bench", defaults={"display_name": "基准"})
    now = timezone.now()
    batch, needs = [], []
    for index, row in enumerate(scenario_rows(SCENARIOS)):
        scenario = Scenario(
            title=row["title"],
            publisher=publisher,
            created_by=author,
            domain=domains[index % len(domains)],
            need_description=row["need_description"],
            track=row["track"],
            stage=row["stage"],
            funding_level=row["funding_level"],
            funding_share=row["funding_share"],
            funding_amount=row["funding_amount"],
            district=districts[index % len(districts)],
            start_date=row["start_date"],
            end_date=row["end_date"],
            is_flagship=row["is_flagship"],
            status="published",
            published_at=now,
        )
        refresh_search_text(scenario, [{"name": name, "detail": ""} for name in row["needs"]])
        batch.append((scenario, row["needs"]))
    Scenario.objects.bulk_create([scenario for scenario, _ in batch], batch_size=1000)
    for scenario, names in batch:
        needs.extend(NeedItem(scenario=scenario, name=name, sort_order=order) for order, name in enumerate(names))
    NeedItem.objects.bulk_create(needs, batch_size=2000)


# The same question as the page asks, with the same semantics (case-insensitive match, ranking,
# count plus one page of 20), hand-written: the floor any implementation could reach.
def _ci(column: str) -> str:
    return f"UPPER({column}) LIKE UPPER(%s)" if connection.vendor == "postgresql" else f"{column} LIKE %s"


PLAIN_SQL = """
SELECT s.id, s.title, o.name, s.funding_amount,
       (CASE WHEN {title} THEN 10 ELSE 0 END) + (CASE WHEN {needs} THEN 4 ELSE 0 END) + 1 AS relevance
FROM scenarios_scenario s
JOIN accounts_organisation o ON o.id = s.publisher_id
JOIN accounts_district d ON d.id = s.district_id
WHERE s.status IN ('published', 'in_contest', 'matched', 'in_implementation', 'demonstrated', 'closed')
  AND {text} AND d.code = %s AND s.stage = %s
ORDER BY relevance DESC, s.published_at DESC, s.id DESC
LIMIT 20
"""
COUNT_SQL = """
SELECT COUNT(*) FROM scenarios_scenario s JOIN accounts_district d ON d.id = s.district_id
WHERE s.status IN ('published', 'in_contest', 'matched', 'in_implementation', 'demonstrated', 'closed')
  AND {text} AND d.code = %s AND s.stage = %s
"""


def plain_sql() -> None:
    like = f"%{QUERY['q']}%"
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL.format(text=_ci("s.search_text")), [like, QUERY["district"], QUERY["stage"]])
        cursor.fetchone()
        sql = PLAIN_SQL.format(title=_ci("s.title"), needs=_ci("s.needs_text"), text=_ci("s.search_text"))
        cursor.execute(sql, [like, like, like, QUERY["district"], QUERY["stage"]])
        cursor.fetchall()
        # the need names shown on each card, as the page shows them
        cursor.execute(
            "SELECT scenario_id, name FROM scenarios_needitem "
            "WHERE scenario_id IN (SELECT id FROM scenarios_scenario LIMIT 20)"
        )
        cursor.fetchall()


def main() -> None:
    ensure_data()
    client = Client()
    hits = client.get("/api/v1/scenarios/", QUERY).json()["count"]

    def page():
        response = client.get("/scenarios/", QUERY)
        assert response.status_code == 200

    def api():
        response = client.get("/api/v1/scenarios/", QUERY)
        assert response.status_code == 200

    results = {
        "SQL": summary(measure(plain_sql, RUNS)),
        "page": summary(measure(page, RUNS)),
        "API": summary(measure(api, RUNS)),
    }
    print(
        f"scenario catalogue search — {Scenario.objects.count()} scenarios, {connection.vendor}, "
        f"query {QUERY}, {hits} hits, {RUNS} runs"
    )
    print(f"{'':6} {'median ms':>10} {'p95 ms':>10} {'median / SQL':>13}")
    for name, (median, p95) in results.items():
        print(f"{name:6} {median:10.1f} {p95:10.1f} {median / results['SQL'][0]:13.1f}")


if __name__ == "__main__":
    main()
