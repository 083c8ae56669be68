"""The catalogue's search text is stored case-folded and, on PostgreSQL, trigram-indexed (core.search)."""

from django.db import migrations

from core.search import search_migration_operations


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0004_updated_at_index")]

    operations = search_migration_operations("scenarios", "Scenario")
