"""The rebuild as a job an operator starts from the match table (progress shown on its page); run on
a worker by core.tasks.job_run_task (see core/jobs.py). Until the app moved out of capability_list
the kind was called capability_list.matching_rebuild (matching 0002 renamed the stored jobs)."""

from django.utils.translation import gettext_lazy

from core.jobs import only_params, register_job
from matching.permissions import can_rebuild


@register_job(
    "matching.rebuild",
    title=gettext_lazy("重建匹配"),
    may_start=can_rebuild,
    request_params=only_params(),
)
def matching_rebuild_job(job, report):
    from matching.engine.rebuild import rebuild

    rebuild(report=report)
    return None
