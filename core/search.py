"""Keyword search over a stored search text, the same on SQLite and PostgreSQL.

The scenario catalogue and the 能力清单 store the text their keyword search reads already
case-folded (`folded`), and compare a folded term with a plain `contains`. Django's `icontains`
made PostgreSQL uppercase every row's text for every search — UPPER(search_text) LIKE UPPER('%…%')
— a scan of 10,000 scenarios and 100,000 entries that no index can serve. A plain LIKE on the
folded column reads it as it is, and on PostgreSQL a trigram index (pg_trgm, GIN) serves terms of
three characters or more (`search_migration_operations`). One- and two-character terms — Chinese users
type 巡检, 停车 — have no trigram, so they still read the rows, but without the per-row UPPER.

Folding is Python's str.lower(): the same on both databases (SQLite's LIKE folds ASCII only, so
"ｉｏｔ" and "ＩＯＴ" found each other on PostgreSQL but not on SQLite before).
"""

from django.db.models import QuerySet


def folded(text: str) -> str:
    """The form a search text is stored in and a term is compared in."""
    return (text or "").lower()


def filter_contains_all(queryset: QuerySet, terms: list[str], field: str = "search_text") -> QuerySet:
    """Rows whose folded `field` contains every term."""
    for term in terms:
        queryset = queryset.filter(**{f"{field}__contains": folded(term)})
    return queryset


def refold_search_text(model, field: str = "search_text", batch_size: int = 2000) -> None:
    """A data migration's step: fold the texts stored before they were stored folded (a batch of
    rows at a time, in key order, so that no cursor stays open while rows change)."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", field)[:batch_size])
        if not rows:
            return
        last = rows[-1][0]
        changed = [model(pk=pk, **{field: folded(text)}) for pk, text in rows if text != folded(text)]
        model.objects.bulk_update(changed, [field])


def search_migration_operations(app_label: str, model_name: str, field: str = "search_text") -> list:
    """The operations of the migration that makes a model's search text folded: fold the stored
    texts, then on PostgreSQL add a GIN trigram index on it (pg_trgm is a trusted extension from
    PostgreSQL 13 on, so the database's owner may create it). SQLite gets the folding only."""
    from django.db import migrations

    def index_name(model) -> str:
        return f"{model._meta.db_table}_{field}_trgm"

    def fold(apps, schema_editor):
        refold_search_text(apps.get_model(app_label, model_name), field)

    def add_index(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index_name(model)}" ON "{model._meta.db_table}" '
            f'USING gin ("{field}" gin_trgm_ops)'
        )

    def drop_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(apps.get_model(app_label, model_name))}"')

    return [
        migrations.RunPython(fold, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_index, drop_index),
    ]
