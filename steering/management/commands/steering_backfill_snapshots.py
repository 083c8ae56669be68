"""Store the 十百千 snapshots of past days from the records' dates:

    python manage.py steering_backfill_snapshots --from 2024-01-01 --to 2024-12-31

The same function as the daily job (targets_snapshot_take), so a backfill of a day already taken
writes the same figures."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from steering.services import targets_snapshot_backfill

MAX_DAYS = 20 * 366


def _day(text: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(f"{option} 应为 YYYY-MM-DD 格式的日期：{text!r}") from None


class Command(BaseCommand):
    help = "按业务记录的日期补算十百千每日快照（全市及各区县，含零值）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="结束日期 YYYY-MM-DD（含）")

    def handle(self, *args, start, end, **options):
        start, end = _day(start, "--from"), _day(end, "--to")
        if end >= timezone.localdate():
            raise CommandError("--to 应早于今天：今天的数字尚未结束统计。")
        if (end - start).days > MAX_DAYS:
            raise CommandError("一次最多补算 20 年。")
        try:
            days = targets_snapshot_backfill(start=start, end=end)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"已补算 {days} 天的快照（{start} — {end}）。")
