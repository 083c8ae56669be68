"""Walk the audit trail's hash chain and report the first record that does not match:

    python manage.py audit_verify
    python manage.py audit_verify --anchor 12345:3f0c…   # a position and hash noted earlier

Exit code 0 when the chain holds, 1 (with the record and what is wrong, in Chinese) when a record
was changed, removed or slipped in. Keep the last line of each run (the newest position and hash)
outside the database: --anchor then also catches a chain rewritten from that record on."""

import re

from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import verify_chain
from core.models import AuditRecord

_ANCHOR = re.compile(r"(\d+):([0-9a-f]{64})")


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    match = _ANCHOR.fullmatch(text.strip().lower())
    if match is None:
        raise CommandError(f"--anchor 应写作 链序号:64 位十六进制摘要，例如 1234:{'0' * 64}（收到 {text!r}）。")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = "校验审计日志的哈希链：报告第一条内容或链接不符的记录（被修改、删除或插入）。"

    def add_arguments(self, parser):
        parser.add_argument("--anchor", help="之前记下的 链序号:摘要，校验它仍在链中且未被改写")

    def handle(self, *args, anchor=None, **options):
        report = verify_chain(AuditRecord, anchor=_anchor(anchor))
        if not report.ok:
            raise CommandError(f"审计链校验失败（已校验 {report.checked} 条）：{report.problem}")
        for note in report.notes:
            self.stdout.write(note)
        if report.checked == 0:
            self.stdout.write("审计链校验通过：尚无审计记录。")
            return
        start = "清理锚点" if report.anchored_by_purge else "链首"
        self.stdout.write(
            f"审计链校验通过：共 {report.checked} 条记录，链序号 {report.first_position}（{start}）至 "
            f"{report.head_position}。\n最新锚点（请另行保存）：{report.head_position}:{report.head_sha256}"
        )
