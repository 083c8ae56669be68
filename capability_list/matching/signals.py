"""Saving a scenario or an entry queues its rematch once the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from capability_list.models import CapabilityEntry
from scenarios.models import Scenario


@receiver(post_save, sender=Scenario, dispatch_uid="matching-rematch-scenario")
def _scenario_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from capability_list.tasks import rematch_scenario_task

    scenario_id = instance.pk
    transaction.on_commit(lambda: rematch_scenario_task.delay(scenario_id))


@receiver(post_save, sender=CapabilityEntry, dispatch_uid="matching-rematch-entry")
def _entry_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from capability_list.tasks import rematch_entry_task

    entry_id = instance.pk
    transaction.on_commit(lambda: rematch_entry_task.delay(entry_id))
