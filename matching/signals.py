"""Saving a scenario or an entry queues its rematch once the transaction commits (connected by
MatchingConfig.ready())."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from capability_list.models import CapabilityEntry
from core.after_commit import queue_after_commit
from matching.tasks import rematch_entry_task, rematch_scenario_task
from scenarios.models import Scenario


@receiver(post_save, sender=Scenario, dispatch_uid="matching-rematch-scenario")
def _scenario_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    queue_after_commit(rematch_scenario_task, instance.pk)  # missed, it is caught by the nightly rebuild


@receiver(post_save, sender=CapabilityEntry, dispatch_uid="matching-rematch-entry")
def _entry_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    queue_after_commit(rematch_entry_task, instance.pk)
