"""A real Celery worker process, fed through Redis, working on the test database (PostgreSQL)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery_app import app
from tests.conftest import ensure_reference_data, require

ROOT = Path(__file__).resolve().parents[2]


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 — any failure means "not available"
        return False


def _database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def _queue_and_node() -> tuple[str, str]:
    """A queue and worker name of this test process alone. Under pytest-xdist several test
    processes share one Redis database, each with its own test database: a worker must take only
    the tasks its own test process sends, and answer only its own process's ping."""
    name = f"portal-test-{os.getpid()}"
    return name, f"{name}@{socket.gethostname()}"


class WorkerStarter:
    """Starts `celery worker` processes against the test database, consuming a queue of this test
    process only, and stops whatever is left of them after the test. A worker runs in a session of
    its own, so that a test can kill it with its pool processes at once (os.killpg)."""

    def __init__(self, settings, broker: str):
        self.settings = settings
        self.broker = broker
        self.queue, self.node = _queue_and_node()
        self.processes: list[subprocess.Popen] = []
        self.logs: list = []

    def start(
        self,
        *,
        pool: str = "solo",
        concurrency: int = 1,
        include: tuple[str, ...] = (),
        environment: dict | None = None,
        as_in_production: bool = False,
    ) -> subprocess.Popen:
        """`as_in_production`: what the worker queues itself (a retry, a follow-up task) goes through
        Redis to this test's queue, instead of running at once in the worker (the test settings)."""
        if as_in_production:
            environment = {**(environment or {}), "PORTAL_TEST_WORKER_QUEUE": self.queue}
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker,
            "MEDIA_ROOT": str(self.settings.MEDIA_ROOT),
            **(environment or {}),
        }
        log_path = Path(self.settings.MEDIA_ROOT) / f"worker-{len(self.processes)}.log"
        log = open(log_path, "w")  # noqa: SIM115 — closed in stop_all
        self.logs.append(log)
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}"]
        if pool == "prefork":
            command.append(f"--concurrency={concurrency}")
        if include:
            command.append(f"--include={','.join(include)}")
        command += ["--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", self.node, "-Q", self.queue]
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = log_path
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("Celery worker exited early:\n" + log_path.read_text())
            if app.control.ping(destination=[self.node], timeout=1.0):
                return process
        pytest.fail("Celery worker did not answer within 60 s:\n" + log_path.read_text())

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # pool processes left behind by a killed parent
            except ProcessLookupError:
                pass
        for log in self.logs:
            log.close()


@pytest.fixture
def celery_workers(transactional_db, settings):
    """A WorkerStarter for tests that start, kill and restart workers themselves. Test settings run
    tasks in-process; while the test runs, this process sends them to its own queue instead."""
    ensure_reference_data()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(broker) and _redis_answers(broker), "Redis (CELERY_BROKER_URL)")
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL) for a worker in another process")
    starter = WorkerStarter(settings, broker)
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, starter.queue
    try:
        yield starter
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        starter.stop_all()


@pytest.fixture
def celery_worker(celery_workers):
    """One `celery worker --pool=solo` against the test database (test_<name>_gw<N> under
    pytest-xdist), consuming a queue of this test process only; stopped after the test."""
    return celery_workers.start()
