"""The list's search text is stored case-folded and, on PostgreSQL, trigram-indexed (core.search)."""

from django.db import migrations

from core.search import search_migration_operations


class Migration(migrations.Migration):
    dependencies = [("capability_list", "0012_entry_revisions_evidence")]

    operations = search_migration_operations("capability_list", "CapabilityEntry")
