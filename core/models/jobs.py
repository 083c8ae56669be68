from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import JobState
from core.messages import Message, shown


class Job(models.Model):
    """Long work run by Celery: its state, progress and result file, and who asked for it."""

    kind = models.CharField(_("任务类型"), max_length=64)
    title = models.CharField(_("任务"), max_length=200)
    # The untranslated title (core.messages), so that each reader sees it in their own language.
    title_message = models.JSONField(null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    progress_message = models.CharField(_("进度说明"), max_length=200, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="jobs"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # When its message was last sent to the queue (at creation, and by core.jobs_requeue_stuck).
    queued_at = models.DateTimeField(_("入队时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # How many times a worker started it: more than one means a worker died (or its time ran out)
    # while running it; at PORTAL_JOB_MAX_ATTEMPTS it is marked failed instead of run again.
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    # Set in the same transaction as the runner's writes (core.services.jobs.job_writes): a job run
    # again after its worker died between those writes and the end of the run does not write twice.
    writes_done_at = models.DateTimeField(_("数据写入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]

    def __str__(self):
        return self.title

    @property
    def title_shown(self) -> str:
        return shown(self.title, self.title_message)

    @property
    def title_as_message(self) -> Message | str:
        """For a message about the job, so that it reads in its reader's language too."""
        return Message.from_json(self.title_message) if self.title_message else self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
