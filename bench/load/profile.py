"""Where a journey's time goes: its requests run in this process through Django's test client with
the benchmark's settings (same database, same Redis cache) under pyinstrument, once to warm up,
then profiled. Writes <journey>.txt (the call tree) and <journey>.html per journey.

    DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL=… CACHE_URL=… \
        .venv/bin/python -m bench.load.profile plan.json out/ catalogue judge …
"""

import json
import sys
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from bench.load.journeys import JOURNEYS, Person  # noqa: E402

REQUESTS = 12


def requests_of(journey, plan) -> tuple[Person, list]:
    person = Person(number=0)
    person.rng.seed(99)
    if journey.users_key:
        names = plan[journey.users_key]
        # Not a person the load run used: the judge's open sheets are still open.
        person.username = sorted(names)[-1] if isinstance(names, dict) else names[-1]
        if journey.users_key == "judges":
            work = plan["judges"][person.username]
            person.work, person.criteria = list(work["entries"]), work["criteria"]
    steps = []
    for _ in range(REQUESTS):
        steps.append(journey.next_request(person, plan))
        person.step += 1
    return person, steps


def profile(journey, plan, out: Path) -> str:
    person, steps = requests_of(journey, plan)
    client = Client(HTTP_HOST="127.0.0.1")
    if person.username:
        client.force_login(get_user_model().objects.get(username=person.username))
    method, path, form = steps[0]
    if method == "GET":
        client.get(path)  # warm-up: templates compiled, caches filled
    profiler = Profiler(interval=0.0005)
    queries = 0
    with CaptureQueriesContext(connection) as captured:
        profiler.start()
        for method, path, form in steps:
            answer = client.post(path, form) if method == "POST" else client.get(path)
            assert answer.status_code < 400, (answer.status_code, path)
        profiler.stop()
        queries = len(captured.captured_queries)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (out / f"{journey.name}.txt").write_text(text)
    (out / f"{journey.name}.html").write_text(profiler.output_html())
    return f"{journey.name}: {len(steps)} requests, {queries} queries, {profiler.last_session.duration:.2f} s"


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(sys.argv[3:])
    for journey in JOURNEYS:
        if journey.name in wanted:
            print("profile:", profile(journey, plan, out))


if __name__ == "__main__":
    main()
