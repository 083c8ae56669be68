"""python manage.py seed_demo — realistic Chinese demo data; safe to run again (it reuses what exists).

Each app contributes a `seed(stdout)` function in its `demo_data` module; they run in the order
of INSTALLED_APPS (accounts first), all in one transaction, so a failure leaves nothing behind.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据：区县、各类机构、每个角色的演示账号及各应用的演示数据（可重复运行）。"

    @transaction.atomic
    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo_data"
            if find_spec(module_name) is None:
                continue
            seed = getattr(import_module(module_name), "seed", None)
            if seed is not None:
                seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据就绪。"))
