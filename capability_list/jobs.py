"""The job kinds of capability_list (run on a worker by core.tasks.job_run_task, see core/jobs.py).

Thin, like tasks: each loads what its parameters name and calls a service. The matching
rebuild's job kind is matching's (matching/jobs.py).
"""

from django.utils.translation import gettext_lazy

from capability_list import services
from capability_list.models import Edition, ImportBatch
from capability_list.permissions import can_import, is_operator
from core.jobs import register_job


@register_job("capability_list.edition_workbook", title=gettext_lazy("生成能力清单"), may_start=is_operator)
def edition_workbook_job(job, report):
    return services.edition_workbook_build(edition=Edition.objects.get(pk=job.params["edition"]), report=report)


@register_job("capability_list.import_check", title=gettext_lazy("检查导入文件"), may_start=can_import)
def import_check_job(job, report):
    services.import_check(batch=ImportBatch.objects.get(pk=job.params["batch"]), report=report)


@register_job("capability_list.import_apply", title=gettext_lazy("导入能力清单"), may_start=can_import)
def import_apply_job(job, report):
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    if batch.state == ImportBatch.State.IMPORTED:
        # Run again after its worker died between the import's commit and the job's: the batch's
        # state commits with its rows, so the import is done; a second pass would record 0 imported.
        return
    services.import_apply(batch=batch, report=report)
