"""python manage.py restore FILE [--database-url URL] [--clean] [--noinput] (core.backups)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils.translation import gettext as _

from config.env import parse_database_url
from core.backups import database_restore
from core.errors import DomainError
from core.services.audit import audit_record


class Command(BaseCommand):
    help = (
        "从 manage.py backup 的备份文件恢复数据库：默认恢复到本系统的数据库，"
        "也可用 --database-url 恢复到另一个（例如演练用的空库）。目标须为空库，除非加 --clean。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件")
        parser.add_argument(
            "--database-url", help="恢复到这个数据库（postgres://… 或 sqlite:///…），而非本系统的数据库"
        )
        parser.add_argument("--clean", action="store_true", help="目标库已有数据时先删除再恢复（不可撤销）")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="不询问确认")

    def handle(self, *args, file, database_url=None, clean=False, noinput=False, **options):
        if database_url:
            try:
                database = parse_database_url(database_url, variable="--database-url")
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from error
        else:
            database = settings.DATABASES["default"]
        if clean and not noinput:
            answer = input(
                _("将删除数据库 %(name)s 中的全部数据并以备份替换，输入 yes 确认：") % {"name": database["NAME"]}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，数据库未改动。"))
        try:
            tables = database_restore(database=database, source=file, clean=clean)
        except DomainError as error:
            raise CommandError(error.message) from error
        if not database_url:
            connections.close_all()  # the restored tables, not what a connection had cached
            with transaction.atomic():
                audit_record(actor=None, action="system.restore", after={"file": str(file), "tables": tables})
        self.stdout.write(
            _("已从 %(path)s 恢复 %(tables)s 张表到数据库 %(name)s。")
            % {"path": file, "tables": tables, "name": database["NAME"]}
        )
