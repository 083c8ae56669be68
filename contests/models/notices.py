from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStepNotice(models.Model):
    """The entrant has been told about one step of its entry (contests.services.notices): what it
    was told is kept as a fingerprint, so that re-running the step (a ranking recomputed from the
    same sheets, the same award decided again) tells nobody twice, and a changed outcome (a new
    rank, another amount) is told once more."""

    entry = models.ForeignKey("contests.ContestEntry", on_delete=models.CASCADE, related_name="step_notices")
    step = models.CharField(_("环节"), max_length=16)
    fingerprint = models.CharField(max_length=64, blank=True)
    notified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("揭榜进展通知")
        verbose_name_plural = _("揭榜进展通知")
        constraints = [models.UniqueConstraint(fields=["entry", "step"], name="entry_step_notice_once")]

    def __str__(self):
        return f"{self.entry_id}:{self.step}"
