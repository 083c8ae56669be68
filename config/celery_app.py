"""The Celery app. Settings come from Django settings under the CELERY_ namespace.

Every task is a PortalTask: an error that says the database or Redis is briefly away is retried
with exponential backoff and jitter, a bounded number of times (PORTAL_TASK_MAX_RETRIES); any
other error is the task's own and is not retried. Retrying is safe because every task is
idempotent (a job claims its Job row first: core.services.jobs).
"""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# The database refused or dropped the connection, a deadlock or serialisation failure, SQLite's
# "database is locked" (all OperationalError or InterfaceError in Django); the broker unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerOperationalError, RedisConnectionError, RedisTimeoutError)


class PortalTask(Task):
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2  # seconds before the first retry, doubled each time
    retry_jitter = True

    @property
    def max_retries(self) -> int:
        from django.conf import settings

        return settings.PORTAL_TASK_MAX_RETRIES

    @property
    def retry_backoff_max(self) -> int:
        from django.conf import settings

        return settings.PORTAL_TASK_RETRY_BACKOFF_MAX

    def retry(self, args=None, kwargs=None, exc=None, throw=True, eta=None, countdown=None, **options):
        # In-process (no broker, the embedded default) a retry would run again at once, inside the
        # request that queued it: the error goes to the caller's after-commit guard instead.
        if self.request.is_eager and exc is not None:
            raise exc
        return super().retry(args, kwargs, exc, throw, eta, countdown, **options)


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def in_process_transport(sender, **kwargs):
    """In-process (the embedded default, no broker) Celery still takes a producer for an eager task,
    and with no broker URL builds a connection to amqp://localhost that logs "No hostname was
    supplied" on every `make run`, as if a broker were missing. The in-memory transport says what
    the mode is; nothing is sent through it."""
    if sender.conf.task_always_eager and not sender.conf.broker_url:
        sender.conf.broker_url = "memory://localhost/"
