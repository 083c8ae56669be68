"""Remove audit records older than a date, which must be at least 180 days ago:

    python manage.py audit_purge --before 2025-01-01

The oldest run of the chain is removed and the purge itself is audited with the anchor the
verification starts from, so audit_verify passes afterwards. A later date is refused, by this
command and by the database trigger on PostgreSQL."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import RETENTION_FLOOR_DAYS
from core.errors import DomainError
from core.services.audit import audit_purge


class Command(BaseCommand):
    help = f"清理指定日期之前的审计记录（只能清理 {RETENTION_FLOOR_DAYS} 天以前的记录，清理本身也留下审计记录）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="清理此日期（不含）之前的记录，YYYY-MM-DD")

    def handle(self, *args, before, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before 应为 YYYY-MM-DD 格式的日期：{before!r}") from None
        try:
            removed = audit_purge(before=day)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"已清理 {day.isoformat()} 之前的审计记录 {removed} 条；清理已记入审计日志。")
