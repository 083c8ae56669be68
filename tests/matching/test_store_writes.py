"""How the engine writes match rows on SQLite: many rows per INSERT statement (so that the rebuild's
explaining thread and the inserts share the two cores), and a larger page cache while it writes."""

import math

import pytest
from django.db import connection

from matching.engine import store
from matching.engine.rebuild import rebuild
from matching.models import Match

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write path"),
]


def _inserts_traced(action) -> list[str]:
    statements = []
    raw = connection.connection
    raw.set_trace_callback(statements.append)
    try:
        action()
    finally:
        raw.set_trace_callback(None)
    return [statement for statement in statements if statement.lstrip().upper().startswith("INSERT")]


def test_a_rebuild_inserts_many_rows_per_statement_and_stores_the_same_rows(corpus, monkeypatch):
    rebuild()
    columns = store.COLUMNS[:-1]
    rows = list(Match.objects.order_by("scenario_id", "entry_id").values_list(*columns))
    assert len(rows) >= 3
    store.delete(list(Match.objects.values_list("pk", flat=True)))
    monkeypatch.setattr(store, "SQLITE_ROWS_PER_STATEMENT", 2)
    json_columns = [columns.index(name) for name in store.JSON_COLUMNS]
    as_stored = [
        tuple(
            store.json.dumps(value, ensure_ascii=False) if i in json_columns else value for i, value in enumerate(row)
        )
        for row in rows
    ]

    inserts = _inserts_traced(lambda: store.insert_values(as_stored))

    assert len(inserts) == math.ceil(len(rows) / 2)  # a row a statement (executemany) would be one each
    assert list(Match.objects.order_by("scenario_id", "entry_id").values_list(*columns)) == rows


def test_a_rebuild_writes_with_a_larger_page_cache_and_gives_it_back():
    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    with store.bulk_writing():
        assert cache_size() == -store.SQLITE_WRITE_CACHE_KIB
    assert cache_size() == before != -store.SQLITE_WRITE_CACHE_KIB
