"""python manage.py seed_demo — realistic Chinese demo data; safe to run again (it reuses what exists).

The data lives in demo/data/*.json; each loader (demo.accounts, demo.scenarios,
demo.capability_list, demo.contests, demo.evaluation, demo.steering) writes its part through the apps' services, as the person
whose step it is. They run in that order, all in one transaction, so a failure leaves nothing
behind; the matching is built once that transaction has committed (it reads everything: demo.matching).
"""

import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import accounts, capability_list, contests, evaluation, matching, scenarios, steering

LOADERS = [
    accounts,
    scenarios,
    capability_list,
    contests,
    evaluation,
    steering,
]  # each reads what the ones before it wrote


class Command(BaseCommand):
    help = "载入演示数据：区县、各类机构、每个角色的演示账号及各应用的演示数据（可重复运行）。"

    def handle(self, *args, **options):
        # The demo's people have made-up addresses (@demo.ningbo.example): the services' in-site
        # messages (站内消息) are kept, the e-mails they send are dropped rather than printed.
        # Without a broker every task the services queue (rematches, ranking recomputes) runs in
        # this process; its one-line log per task would bury the summary, so only problems show.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                for loader in LOADERS:
                    loader.seed(self.stdout)
            matching.after_seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据就绪。"))
