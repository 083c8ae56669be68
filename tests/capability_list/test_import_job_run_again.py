"""An import job run again after its worker died between the import's commit and the job's
(core.services.jobs): the batch keeps its count and its one audit record; nothing is written twice."""

import pytest

from capability_list import services
from capability_list.models import CapabilityEntry
from core.choices import JobState
from core.models import AuditRecord, Job
from core.services import job_run
from tests.capability_list.test_import import row, workbook_file
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_import_job_run_again_after_its_worker_died_imports_nothing_twice(
    monkeypatch, django_capture_on_commit_callbacks
):
    member = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    monkeypatch.setattr(services.imports, "SYNC_IMPORT_ROWS", 0)
    rows = [row(**{"技术（产品）名称": f"产品{n}", "三首证书编号": f"J-{n}"}) for n in range(3)]
    batch = services.import_upload(actor=member, uploaded=workbook_file(rows))
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_confirm(actor=member, batch=batch)
    batch.refresh_from_db()
    assert batch.state == "imported" and batch.imported_count == 3

    # The worker died after the import committed, before the job did; the beat job queued it again.
    Job.objects.filter(pk=batch.job_id).update(state=JobState.PENDING, finished_at=None)
    job_run(job_id=batch.job_id)

    batch.refresh_from_db()
    assert batch.job.state == "succeeded" and batch.job.attempts == 2
    assert batch.imported_count == 3 and CapabilityEntry.objects.count() == 3
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(batch.pk)).count() == 1
