"""Under pytest-xdist the test processes share one Redis database, each with its own test database
and its own worker: a worker takes only the tasks of its own test process."""

import time

import pytest
import redis
from django.conf import settings

from config.celery_app import app
from core.models import Job
from core.tasks import job_run_task
from tests.factories.accounts import operator_user
from tests.workers.test_job_through_worker import _wait_until_finished

pytestmark = pytest.mark.worker


def test_a_worker_takes_the_tasks_of_its_own_test_process_and_leaves_another_ones(celery_worker):
    operator = operator_user()
    own, *foreign = (
        Job.objects.create(kind="accounts.organisation_directory", title="机构名录导出", requested_by=operator)
        for _ in range(3)
    )
    # Celery's default queue, which every test process would share, and another process's queue.
    other_queues = ["celery", f"{app.conf.task_default_queue}-other"]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        for job, queue in zip(foreign, other_queues):
            job_run_task.apply_async([job.pk], queue=queue)
        job_run_task.delay(own.pk)

        assert _wait_until_finished(own.pk).state == "succeeded"
        time.sleep(1)  # the worker is idle now: had it taken another message, it would have run it
        assert [Job.objects.get(pk=job.pk).state for job in foreign] == ["pending", "pending"]
        assert [broker.llen(queue) for queue in other_queues] == [1, 1]  # waiting for their own workers
    finally:
        broker.delete(*other_queues)
