"""What happens after a transaction commits must not undo the answer to the person who acted.

The row is saved; a broker that is down, or a mail server that refuses, is a problem of the
follow-up, not of the action. These helpers run the follow-up once the transaction commits, log
any failure with its details, and let the caller say what a failure means (a job is marked
failed with a reason); the page the person sees is the one for a saved action. A missed rematch is
caught by the nightly rebuild.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args, on_failure: Callable[[], None] | None = None) -> None:
    """`task.delay(*args)` once the transaction commits; a failure is logged, not raised."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 — a broker error must not become the person's error page
            logger.exception("could not queue %s%r after commit", task.name, args)
            if on_failure is not None:
                on_failure()

    transaction.on_commit(send)


def run_after_commit(action: Callable[[], object], *, what: str) -> None:
    """`action()` once the transaction commits (e.g. sending an e-mail); a failure is logged, not raised."""

    def run() -> None:
        try:
            action()
        except Exception:  # noqa: BLE001 — a mail server error must not become the person's error page
            logger.exception("after commit: %s failed", what)

    transaction.on_commit(run)
