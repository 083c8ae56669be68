"""What happens after a transaction commits must not undo the answer to the person who acted.

The row is saved; a broker that is down, or a mail server that refuses, is a problem of the
follow-up, not of the action. These helpers run the follow-up once the transaction commits, log
any failure with its details, and let the caller say what a failure means (a job is marked
failed with a reason, a registration mail is recorded as not sent); the page the person sees is
the one for a saved action. A missed rematch is caught by the nightly rebuild.

Every task the portal queues goes through `queue_after_commit`, every e-mail through
`run_after_commit` (accounts' mails, core.services.notifications, the password-reset form).
"""

import logging
import smtplib
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a broker that is down or unreachable raises from `delay()`: kombu's OperationalError (a
# KombuError), redis-py's ConnectionError/TimeoutError (RedisError) and socket errors (OSError).
BROKER_ERRORS = (KombuError, RedisError, OSError)
# What a mail server that is down or refuses raises (smtplib.SMTPException is an OSError too).
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def queue_after_commit(task, *args, on_failure: Callable[[], None] | None = None) -> None:
    """`task.delay(*args)` once the transaction commits; a failure is logged, not raised.

    `on_failure` runs after a failure to queue (core.services.jobs marks the job failed). When
    tasks run in-process (no broker: CELERY_TASK_ALWAYS_EAGER), an error of the task itself is
    logged the same way: the action was saved, its follow-up failed.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except BROKER_ERRORS:
            logger.exception("broker unavailable: could not queue %s%r after commit", task.name, args)
        except Exception:  # noqa: BLE001 — a follow-up's failure must not become the person's error page
            logger.exception("could not run or queue %s%r after commit", task.name, args)
        else:
            return
        if on_failure is not None:
            try:
                on_failure()
            except Exception:  # noqa: BLE001 — recording the failure must not fail the page either
                logger.exception("after commit: recording the failure to queue %s%r failed", task.name, args)

    transaction.on_commit(send)


def run_after_commit(
    action: Callable[[], object], *, what: str, on_failure: Callable[[Exception], None] | None = None
) -> None:
    """`action()` once the transaction commits (e.g. sending an e-mail); a failure is logged, not raised.

    `on_failure(error)` runs after a failure (accounts records a registration mail as not sent).
    Outside a transaction the action runs at once, still guarded.
    """

    def run() -> None:
        try:
            action()
        except Exception as error:  # noqa: BLE001 — a mail server error must not become the person's error page
            kind = "mail server unavailable" if isinstance(error, MAIL_ERRORS) else "failed"
            logger.exception("after commit: %s %s", what, kind)
            if on_failure is not None:
                try:
                    on_failure(error)
                except Exception:  # noqa: BLE001
                    logger.exception("after commit: recording the failure of %s failed", what)

    transaction.on_commit(run)
