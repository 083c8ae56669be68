"""The rebuild as a job an operator starts from the match table (progress shown on its page)."""

from django.utils.translation import gettext_lazy

from capability_list.permissions import is_operator
from core.jobs import only_params, register_job


@register_job(
    "capability_list.matching_rebuild",
    title=gettext_lazy("重建匹配"),
    may_start=is_operator,
    request_params=only_params(),
)
def matching_rebuild_job(job, report):
    from capability_list.matching.engine import rebuild

    # An operator rebuilds by hand when something looks off: everything is searched again, not
    # only what changed since the last search (the nightly rebuild does that).
    rebuild(report=report, full_search=True)
    return None
