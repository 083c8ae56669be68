"""A job kind for the tests of delivery (test_jobs_survive_killed_workers.py): each run records its
start (process id, time) and applies its one side effect inside `job_writes`, so that a second
application would show as applied = 2, never be hidden.

Imported by the test process and by the worker (`celery worker --include tests.workers.probe_jobs`).
Its tables are made by the test on the test database (raw SQL: they belong to no app).
"""

import os
import time

from django.db import connection

from core.jobs import register_job
from core.services.jobs import job_writes

PROBE_KIND = "tests.exactly_once_probe"
CREATE_TABLES = [
    "CREATE TABLE IF NOT EXISTS worker_probe_start "
    "(id serial PRIMARY KEY, job_id bigint NOT NULL, pid integer NOT NULL,"
    " at timestamptz NOT NULL DEFAULT clock_timestamp())",
    "CREATE TABLE IF NOT EXISTS worker_probe_effect (job_id bigint PRIMARY KEY, applied integer NOT NULL)",
]
DROP_TABLES = ["DROP TABLE IF EXISTS worker_probe_start", "DROP TABLE IF EXISTS worker_probe_effect"]


@register_job(PROBE_KIND, title="送达测试任务", may_start=lambda user: True)
def exactly_once_probe(job, report):
    with connection.cursor() as cursor:  # autocommit: the start is seen at once, and survives a kill
        cursor.execute("INSERT INTO worker_probe_start (job_id, pid) VALUES (%s, %s)", [job.pk, os.getpid()])
    time.sleep(job.params.get("before", 0.05))
    with job_writes(job), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO worker_probe_effect (job_id, applied) VALUES (%s, 1) "
            "ON CONFLICT (job_id) DO UPDATE SET applied = worker_probe_effect.applied + 1",
            [job.pk],
        )
        report(50, "写入中")
        time.sleep(job.params.get("hold", 0.25))  # a kill now lands inside the transaction
    return None


FLAKY_KIND = "tests.flaky_probe"


@register_job(FLAKY_KIND, title="暂时出错的测试任务", may_start=lambda user: True)
def flaky_probe(job, report):
    """Its first run meets a database that went away (the error Django raises for it)."""
    from django.db import OperationalError

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO worker_probe_start (job_id, pid) VALUES (%s, %s)", [job.pk, os.getpid()])
        cursor.execute("SELECT count(*) FROM worker_probe_start WHERE job_id = %s", [job.pk])
        if cursor.fetchone()[0] == 1:
            raise OperationalError("server closed the connection unexpectedly")
    with job_writes(job), connection.cursor() as cursor:
        cursor.execute("INSERT INTO worker_probe_effect (job_id, applied) VALUES (%s, 1)", [job.pk])
