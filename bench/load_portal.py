"""The portal under a city's traffic: each role's journey on gunicorn, PostgreSQL and Redis, as
ratios to a minimal view served by the same server in the same run.

    make bench-load                                    # or: .venv/bin/python bench/load_portal.py
    .venv/bin/python bench/load_portal.py --quick      # a few seconds per step, 1 and 8 people
    .venv/bin/python bench/load_portal.py --rebuild    # drop the data set and build it again
    .venv/bin/python bench/load_portal.py --journeys catalogue,judge --users 1,8

1. The data set (bench/load/data.py) on PostgreSQL, database portal_load by default: built once by
   bulk inserts, reused while its marker is there; the sheets an earlier run saved are removed.
2. collectstatic, then gunicorn (gthread; --workers 3 --threads 4 by default) on config.wsgi with
   config.settings.bench — production settings, DEBUG off, WhiteNoise, Redis cache — plus a Celery
   worker (concurrency 1) on a Redis broker, as production runs. The cache is emptied first.
3. In this process (the server's are separate): for each number of concurrent people (1, 8, 32),
   the minimal view, then every journey (bench/load/journeys.py), each for --seconds after a warm-up.
   Prints requests per second, p50/p95/p99, errors and timeouts, queries per request, and the
   ratio of each journey's throughput to the minimal view's at the same concurrency.
4. Profiles (pyinstrument) of the slowest journeys, one process, written to the results folder
   (bench/load_results/<time>/) with the figures as JSON.

The machine is shared: read the ratios, and the load average printed before and after.
"""

import argparse
import asyncio
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load.driver import Driver, StepResult  # noqa: E402
from bench.load.journeys import JOURNEYS  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
# Acceptance (issue #20): throughput as a share of the minimal view's, by kind of journey.
FLOOR_SHARE = {"anonymous": 1 / 3, "signed-in": 1 / 10, "cockpit": 1 / 3}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 s per step, 1 and 8 people, no profile")
    parser.add_argument("--rebuild", action="store_true", help="drop the data set's database and build it again")
    parser.add_argument("--seconds", type=float, help="measured seconds per step (default 15; --quick 4)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each step")
    parser.add_argument("--users", help="concurrent people per step, comma-separated (default 1,8,32)")
    parser.add_argument("--journeys", help="comma-separated journey names (default all)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE", "portal_load"))
    parser.add_argument("--postgres", default=os.environ.get("LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("LOAD_REDIS", "redis://127.0.0.1:6379"))
    parser.add_argument("--cache-db", type=int, default=11)
    parser.add_argument("--broker-db", type=int, default=12)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--label", default="", help="a name for the results folder")
    options = parser.parse_args()
    options.seconds = options.seconds or (4.0 if options.quick else 15.0)
    options.users = [int(n) for n in (options.users or ("1,8" if options.quick else "1,8,32")).split(",")]
    names = options.journeys.split(",") if options.journeys else [journey.name for journey in JOURNEYS]
    unknown = set(names) - {journey.name for journey in JOURNEYS}
    if unknown:
        parser.error(f"unknown journeys: {', '.join(sorted(unknown))}")
    options.journeys = [journey for journey in JOURNEYS if journey.name in names or journey.name == "minimal"]
    return options


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def environment(options) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"{options.postgres}/{options.database}",
        "BENCH_DATABASE_URL": f"{options.postgres}/{options.database}",
        "CACHE_URL": f"{options.redis}/{options.cache_db}",
        "CELERY_BROKER_URL": f"{options.redis}/{options.broker_db}",
        "PYTHONPATH": str(ROOT),
    }


def rebuild_database(options) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{options.postgres}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{options.database}"')
    connection.close()


def ensure_database(options) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{options.postgres}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [options.database])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{options.database}"')
    connection.close()


def prepare_data(options, env, plan_path: Path) -> None:
    if options.rebuild:
        rebuild_database(options)
    ensure_database(options)
    started = time.perf_counter()
    # The builder runs with the cockpit bench's settings (local, DEBUG off) in a process of its own.
    builder_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([PYTHON, "-u", "-m", "bench.load.data", str(plan_path)], cwd=ROOT, env=builder_env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )  # migrations added after the data set was built
    print(f"data: ready in {time.perf_counter() - started:.0f} s")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


class Servers:
    """gunicorn and a Celery worker, started and stopped by this process (by their own ids)."""

    def __init__(self, options, env):
        self.options, self.env, self.processes = options, env, []

    def __enter__(self):
        options, env = self.options, self.env
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        flush_redis(env["CACHE_URL"])
        flush_redis(env["CELERY_BROKER_URL"])
        log = open(ROOT / "bench" / "load_results" / "server.log", "w")  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        self.processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{options.port}",
                    "--worker-class",
                    "gthread",
                    "--workers",
                    str(options.workers),
                    "--threads",
                    str(options.threads),
                    "--timeout",
                    "60",
                    "--keep-alive",
                    "5",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{options.port}/bench/minimal/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    self.__exit__(None, None, None)
                    sys.exit("the server did not start: see bench/load_results/server.log")
                time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def fmt(value: float, digits: int = 0) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def report(results: list, options) -> list[str]:
    """The table, and the acceptance checks of issue #20 (ratios from this run)."""
    floor = {r.users: r for r in results if r.journey == "minimal"}
    by_name = {journey.name: journey for journey in JOURNEYS}
    lines = [
        f"{'journey':16} {'users':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4} "
        f"{'t/o':>4} {'q/req':>6} {'×floor':>7} {'p99/p50':>7} {'lag p99':>7}"
    ]
    for result in results:
        base = floor.get(result.users)
        share = result.rps / base.rps if base and base.rps else float("nan")
        lines.append(
            f"{result.journey:16} {result.users:5d} {fmt(result.rps, 1):>7} {fmt(result.percentile(0.5), 1):>7} "
            f"{fmt(result.percentile(0.95), 1):>7} {fmt(result.percentile(0.99), 1):>7} {result.errors:4d} "
            f"{result.timeouts:4d} {fmt(result.mean_queries, 1):>6} {fmt(share, 2):>7} "
            f"{fmt(result.percentile(0.99) / result.percentile(0.5), 1):>7} {fmt(result.loop_lag(0.99), 1):>7}"
        )
        for sample in result.error_samples:
            lines.append(f"{'':16}   error: {sample}")
    lines.append("lag p99: the driver's own event-loop lag (ms), part of every latency above (bench/load/driver.py)")
    lines.append("")
    lines.append("acceptance (issue #20):")
    for name in dict.fromkeys(r.journey for r in results):
        mine = {r.users: r for r in results if r.journey == name}
        notes = []
        top = max(mine)
        if mine[top].errors or mine[top].timeouts:
            notes.append(f"{mine[top].errors} errors, {mine[top].timeouts} timeouts at {top}")
        spread = [u for u, r in mine.items() if r.percentile(0.99) > 3 * r.percentile(0.5)]
        if spread:
            notes.append(f"p99 > 3× p50 at {','.join(map(str, spread))}")
        if 1 in mine and 8 in mine and mine[8].rps < 1.6 * mine[1].rps:
            notes.append(f"8 people: {mine[8].rps / mine[1].rps:.2f}× the throughput of 1 (want ≥ 1.6)")
        kind = by_name[name].kind
        if kind in FLOOR_SHARE:
            want = FLOOR_SHARE[kind]
            short = [
                f"{u}: {r.rps / floor[u].rps:.2f}"
                for u, r in mine.items()
                if u in floor and floor[u].rps and r.rps < want * floor[u].rps
            ]
            if short:
                notes.append(f"below {want:.2f} of the floor at {'; '.join(short)}")
        lines.append(f"  {name:16} {'ok' if not notes else 'SHORT: ' + '; '.join(notes)}")
    return lines


async def drive(options, plan) -> list:
    import redis

    broker = redis.Redis.from_url(environment(options)["CELERY_BROKER_URL"])
    driver = Driver(f"http://127.0.0.1:{options.port}", plan, queued=lambda: broker.llen("celery"))
    results = []
    try:
        for users in options.users:
            for journey in options.journeys:
                try:
                    result = await driver.run_step(journey, users, options.seconds, options.warmup)
                except Exception as error:  # a step that cannot even start (sign-in refused): say so, go on
                    result = StepResult(journey=journey.name, users=users, seconds=options.seconds)
                    result.errors, result.error_samples = 1, [f"step failed: {type(error).__name__} {error}"]
                results.append(result)
                print(
                    f"  {journey.name:16} {users:3d} people: {result.rps:7.1f} req/s, p50 "
                    f"{fmt(result.percentile(0.5), 1)} ms, {result.errors} errors, {result.timeouts} timeouts",
                    flush=True,
                )
    finally:
        await driver.close()
    return results


def main() -> None:
    options = arguments()
    name = datetime.now().strftime("%Y%m%d-%H%M%S") + (f"-{options.label}" if options.label else "")
    out = ROOT / "bench" / "load_results" / name
    out.mkdir(parents=True, exist_ok=True)
    env = environment(options)
    plan_path = out / "plan.json"
    started = time.perf_counter()
    prepare_data(options, env, plan_path)
    plan = json.loads(plan_path.read_text())
    load_before = load_average()
    print(f"load average before: {load_before}; {os.cpu_count()} cores")
    with Servers(options, env):
        print(
            f"serving: gunicorn gthread {options.workers} workers × {options.threads} threads, "
            f"config.settings.bench, {env['DATABASE_URL']}, cache {env['CACHE_URL']}"
        )
        results = asyncio.run(drive(options, plan))
        load_after = load_average()
        lines = report(results, options)
        slowest = []
        if not options.no_profile and not options.quick:
            floor = {r.users: r.rps for r in results if r.journey == "minimal"}
            ranked = sorted(
                (r for r in results if r.users == 1 and r.journey != "minimal"), key=lambda r: r.rps / floor[1]
            )
            slowest = [r.journey for r in ranked[:3]]
            subprocess.run(
                [PYTHON, "-m", "bench.load.profile", str(plan_path), str(out / "profiles"), *slowest],
                cwd=ROOT,
                env=env,
                check=False,
            )
    print()
    print(
        f"{len(options.users)} steps × {len(options.journeys)} journeys, {options.seconds:g} s each; "
        f"load average before {load_before}, after {load_after}; {time.perf_counter() - started:.0f} s in all"
    )
    print("\n".join(lines))
    if slowest:
        print(f"profiles of {', '.join(slowest)}: {out / 'profiles'}")
    (out / "results.txt").write_text("\n".join(lines) + "\n")
    (out / "results.json").write_text(
        json.dumps(
            [
                {
                    "journey": r.journey,
                    "users": r.users,
                    "rps": r.rps,
                    "p50": r.percentile(0.5),
                    "p95": r.percentile(0.95),
                    "p99": r.percentile(0.99),
                    "errors": r.errors,
                    "timeouts": r.timeouts,
                    "queries": r.mean_queries,
                    "loop_lag_p50": r.loop_lag(0.5),
                    "loop_lag_p99": r.loop_lag(0.99),
                }
                for r in results
            ],
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
