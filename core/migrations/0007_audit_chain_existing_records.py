"""The records written before the chain existed join it, oldest first (in the order they were
written), each with its kind of event from the catalogue. Later records are chained as they are
written (core.services.audit_record; on PostgreSQL by the trigger of migration 0007)."""

from django.db import migrations

from core.audit_catalogue import kind_of
from core.audit_chain import GENESIS_SHA256, content_sha256, link_sha256

BATCH = 2000


def chain_existing_records(apps, schema_editor):
    AuditRecord = apps.get_model("core", "AuditRecord")
    position, previous, last_id = 0, GENESIS_SHA256, 0
    while True:
        batch = list(AuditRecord.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            return
        for record in batch:
            position += 1
            record.kind = kind_of(record.action)
            record.content_sha256 = content_sha256(record)
            record.chain_position, record.previous_sha256 = position, previous
            record.record_sha256 = previous = link_sha256(position, previous, record.content_sha256)
        fields = ["kind", "content_sha256", "chain_position", "previous_sha256", "record_sha256"]
        AuditRecord.objects.bulk_update(batch, fields)
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_chain_fields")]

    operations = [migrations.RunPython(chain_existing_records, migrations.RunPython.noop)]
