"""Rows the database keeps locked once signed or decided, and the one way through.

On PostgreSQL, triggers refuse to change or delete a signed score sheet and its scores, or a
decided award (contests migration 0007), whoever sends the SQL — unless the transaction has set
portal.reopen, which only the audited services that reopen or change them do, through
`audited_reopen()`, for the statements inside it. Elsewhere (SQLite) it does nothing: the services
themselves are the only writers there.
"""

from contextlib import contextmanager

from django.db import connection

REOPEN_SETTING = "portal.reopen"


def _set(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [REOPEN_SETTING, value])


@contextmanager
def audited_reopen():
    """Let the statements inside change locked rows. Use it only inside a service's transaction
    that writes the audit record of that change. If they fail, the rollback of the transaction
    (or savepoint) takes the setting back with them."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audited_reopen() must run inside the service's transaction")
    _set("on")
    yield
    _set("off")
