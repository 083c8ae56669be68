"""python manage.py backup [--output FILE] — the database to one file (core.backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from core.backups import database_backup
from core.errors import DomainError
from core.services.audit import audit_record


class Command(BaseCommand):
    help = "备份数据库到一个文件：PostgreSQL 用 pg_dump（custom 格式），SQLite 用在线备份；旁边写 SHA-256 校验值。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="备份文件路径（默认：PORTAL_BACKUP_DIR 下带日期的文件）")

    def handle(self, *args, output=None, **options):
        database = settings.DATABASES["default"]
        try:
            backup = database_backup(database=database, output=output)
        except DomainError as error:
            raise CommandError(error.message) from error
        with transaction.atomic():  # a copy of everyone's data leaving the system is recorded
            audit_record(
                actor=None,
                action="system.backup",
                after={"file": str(backup.path), "size": backup.size, "sha256": backup.sha256, "tables": backup.tables},
            )
        self.stdout.write(
            _("已备份 %(tables)s 张表到 %(path)s（%(size)s 字节，SHA-256 %(sha256)s）。")
            % {"tables": backup.tables, "path": backup.path, "size": backup.size, "sha256": backup.sha256}
        )
