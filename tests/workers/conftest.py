"""A real Celery worker process, fed through Redis, working on the test database (PostgreSQL)."""

import os
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


@pytest.fixture
def celery_worker(transactional_db, settings):
    """Start `celery worker` against the test database (test_<name>_gw<N> under pytest-xdist),
    consuming a queue of this test process only; stop it after the test."""
    ensure_reference_data()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(broker) and _redis_answers(broker), "Redis (CELERY_BROKER_URL)")
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL) for a worker in another process")

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = Path(settings.MEDIA_ROOT) / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 — closed below
    queue, node = _queue_and_node()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            node,
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Test settings run tasks in-process; here the test process must send them to the worker.
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("Celery worker exited early:\n" + log_path.read_text())
            if app.control.ping(destination=[node], timeout=1.0):
                break
        else:
            pytest.fail("Celery worker did not answer within 60 s:\n" + log_path.read_text())
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
