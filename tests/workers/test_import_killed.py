import io
import os
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from accounts.models import Organisation
from bench.synthetic import entry_rows
from capability_list import services
from capability_list.import_checker import HEADERS
from capability_list.models import CapabilityEntry
from core.models import Job
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.worker
ROWS = 6000  # above SYNC_IMPORT_ROWS, so the import runs as a job in the worker


def _workbook(rows: int) -> SimpleUploadedFile:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("能力清单")
    sheet.append(HEADERS)
    for row in entry_rows(rows, companies=800):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("大批量导入.xlsx", buffer.getvalue())


def _writer_is_inserting() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query ILIKE 'INSERT INTO \"capability_list_capabilityentry\"%%'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_while_writing_an_import_leaves_nothing_half_written(celery_worker):
    association = UserFactory(organisation=OrganisationFactory(kind="association"), roles=["association"])
    batch = services.import_upload(actor=association, uploaded=_workbook(ROWS))
    assert batch.state == "checked" and batch.valid_rows == ROWS
    organisations_before = Organisation.objects.count()

    batch = services.import_confirm(actor=association, batch=batch)
    assert batch.job_id is not None and batch.state == "importing"

    deadline = time.monotonic() + 120
    while not _writer_is_inserting():
        assert time.monotonic() < deadline, "the worker never started writing"
        assert Job.objects.get(pk=batch.job_id).state != "succeeded", (
            "the import finished before it could be interrupted"
        )
        time.sleep(0.02)
    os.kill(celery_worker.pid, signal.SIGKILL)  # mid-transaction: the worker dies without a word
    celery_worker.wait(timeout=30)

    # PostgreSQL rolls back the dead connection's transaction: no entry, no company, no credential.
    deadline = time.monotonic() + 30
    while _writer_is_inserting() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert CapabilityEntry.objects.count() == 0
    assert Organisation.objects.count() == organisations_before
    batch.refresh_from_db()
    assert batch.state == "importing" and batch.imported_count == 0  # not marked done: it can be run again
