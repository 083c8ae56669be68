"""Moving audit records, jobs and notifications from accounts to core loses no row.

The database is taken back to just before the move (core unapplied, accounts at 0002, the
capability list at 0008), filled through the historical models as the old code would have, and
migrated forward again: every row is then read through core's models, with the foreign keys that
point at a job (editions) intact and the content types renamed, not duplicated. Runs on
PostgreSQL in CI too (there the tables are renamed with their sequences and constraints).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("accounts", "0002_seed_districts"),
    ("capability_list", "0008_matches_one_row_per_pair"),
    ("core", None),
]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_to_core():
    old = _migrate(BEFORE_THE_MOVE)
    User = old.get_model("accounts", "User")
    Job, Notification, AuditRecord = (
        old.get_model("accounts", name) for name in ("Job", "Notification", "AuditRecord")
    )
    Edition = old.get_model("capability_list", "Edition")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldContentType.objects.get_or_create(app_label="accounts", model="job")

    person = User.objects.create(username="mover", display_name="搬迁前的用户")
    job = Job.objects.create(
        kind="accounts.organisation_directory",
        title="机构名录导出",
        requested_by=person,
        state="succeeded",
        progress=100,
    )
    Notification.objects.create(recipient=person, title="迁移前的消息", link="/home/")
    AuditRecord.objects.create(
        actor=person,
        actor_label="搬迁前的用户 (mover)",
        action="job.create",
        object_type="accounts.job",
        object_id=str(job.pk),
    )
    Edition.objects.create(year=2026, batch=1, title="2026年第1批", job=job, created_by=person)

    _migrate()

    from capability_list.models import Edition as CurrentEdition
    from core.models import AuditRecord as CoreAuditRecord
    from core.models import Job as CoreJob
    from core.models import Notification as CoreNotification

    moved = CoreJob.objects.get()
    assert (moved.pk, moved.title, moved.state, moved.requested_by.username) == (
        job.pk,
        "机构名录导出",
        "succeeded",
        "mover",
    )
    assert CoreNotification.objects.get().title == "迁移前的消息"
    assert CoreAuditRecord.objects.get().object_id == str(job.pk)
    assert CurrentEdition.objects.get().job_id == moved.pk
    assert CoreJob._meta.db_table == "core_job"
    assert ContentType.objects.filter(app_label="core", model="job").count() == 1
    assert not ContentType.objects.filter(app_label="accounts", model="job").exists()
    # New rows go on numbering after the old ones (the sequence moved with the table).
    assert CoreJob.objects.create(kind="x", title="迁移后的任务", requested_by=moved.requested_by).pk > job.pk
