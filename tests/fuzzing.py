"""What the fuzzing tests share: the portal as an in-process WSGI application for schemathesis, and
a watch over the database that says which rows a request (or a service call) really changed.

The watch does not compare the whole database before and after (the demo world has 10,000 rows and
the API fuzz makes thousands of requests): it sees every INSERT, UPDATE and DELETE the connection
runs, copies a table the first time one of them touches it, and afterwards compares that copy with
the table as it is. A write that a savepoint rolled back, or an UPDATE that set what was there,
leaves the table as it was and counts as nothing; a row added, changed or removed is reported.
"""

import re
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.signals import got_request_exception
from django.db import connection
from django.test.client import ClientHandler

# A refused request may leave evidence of itself — a failed sign-in or a denial in the audit log
# (accounts.sign_in counts failed sign-ins there), a session touched, the time a token was last
# used — but no data of the portal.
EVIDENCE_ACTIONS = re.compile(r"^auth\.|denied|denial|refused")
IGNORED_TABLES = {"django_session"}
IGNORED_COLUMNS = {"accounts_apitoken": {"last_used_at"}}
AUDIT_TABLE = "core_auditrecord"

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


def _table_rows(table: str) -> tuple[list[str], list[tuple]]:
    # The raw DB-API cursor: the watch's own reads must not pass through its wrapper.
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - a table name the ORM itself wrote
        return [column[0] for column in cursor.description], cursor.fetchall()
    finally:
        cursor.close()


def _comparable(table: str, columns: list[str], rows: list[tuple]) -> set[tuple]:
    ignored = IGNORED_COLUMNS.get(table, set())
    keep = [index for index, name in enumerate(columns) if name not in ignored]
    return {tuple(repr(row[index]) for index in keep) for row in rows}


@dataclass
class Writes:
    """The tables a watched block changed: table -> (rows added or changed, rows gone or replaced)."""

    changed: dict[str, tuple[int, int]] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed)

    def __str__(self) -> str:
        return ", ".join(f"{table} (+{added} −{removed})" for table, (added, removed) in self.changed.items())


@contextmanager
def watch_writes():
    """Yield a Writes that is filled when the block ends (also when it raises)."""
    connection.ensure_connection()
    before: dict[str, set[tuple]] = {}

    def wrapper(execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match:
            table = match.group(1)
            if table not in before and table not in IGNORED_TABLES:
                before[table] = _comparable(table, *_table_rows(table))
        return execute(sql, params, many, context)

    writes = Writes()
    try:
        with connection.execute_wrapper(wrapper):
            yield writes
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            for table, old in before.items():
                now_columns, rows = _table_rows(table)
                new = _comparable(table, now_columns, rows)
                added, removed = new - old, old - new
                if table == AUDIT_TABLE and not removed:
                    action = now_columns.index("action")
                    kept = {row for row in added if not EVIDENCE_ACTIONS.search(row[action].strip("'"))}
                    writes.evidence += [row[action].strip("'") for row in added - kept]
                    added = kept
                if added or removed:
                    writes.changed[table] = (len(added), len(removed))


class PortalWsgiApp:
    """The portal behind Django's test handler, as a WSGI application schemathesis can call in
    process: the request runs on the test's own database connection and transaction (Django's
    real WSGI handler would close that connection after each request), with CSRF enforced as in
    production. An exception a view lets escape is kept with its traceback in `errors` (the answer
    is still the 500 a visitor would get)."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=True)
        self.errors: list[str] = []
        got_request_exception.connect(self._keep_traceback)

    def close(self):
        got_request_exception.disconnect(self._keep_traceback)

    def _keep_traceback(self, sender, request=None, **kwargs):
        self.errors.append(traceback.format_exc())

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", cookie.output(header="").strip()) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if response.streaming:
            return list(response.streaming_content)
        return [response.content]
