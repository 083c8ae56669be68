"""python manage.py seed_demo — realistic Chinese demo data; safe to run again (it reuses what exists).

Each app contributes a `seed(stdout)` function in its `demo_data` module; they run in the order
of INSTALLED_APPS (accounts first), all in one transaction, so a failure leaves nothing behind.
An optional `after_seed(stdout)` runs once that transaction has committed (the matching rebuild
reads everything the others wrote).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据：区县、各类机构、每个角色的演示账号及各应用的演示数据（可重复运行）。"

    def handle(self, *args, **options):
        modules = [import_module(f"{config.name}.demo_data") for config in apps.get_app_configs() if find_spec(f"{config.name}.demo_data") is not None]
        with transaction.atomic():
            for module in modules:
                if hasattr(module, "seed"):
                    module.seed(self.stdout)
        for module in modules:
            if hasattr(module, "after_seed"):
                module.after_seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据就绪。"))
