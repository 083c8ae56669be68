"""Back up the database to one file and restore it (manage.py backup / manage.py restore).

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the client programs of the server's major
version or newer), with the connection of settings.DATABASES (or a DATABASE_URL given for the
restore), the password passed in the environment, never on the command line. SQLite (the embedded
default): SQLite's online backup API, consistent while the portal runs. A SHA-256 of every backup is
written beside it and checked before a restore. A restore goes into an empty database (or, with
`clean`, replaces what is there) in one transaction: a failure leaves the target as it was.

The uploaded files (MEDIA_ROOT) are not in the database: back that directory up beside it.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    sha256: str
    tables: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _is_postgresql(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def _is_sqlite(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.sqlite3"


def default_backup_path(database: dict) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if _is_postgresql(database) else "sqlite3"
    return Path(settings.PORTAL_BACKUP_DIR) / f"portal-{stamp}.{suffix}"


# ---- PostgreSQL ---------------------------------------------------------------------------------


def _pg_environment(database: dict) -> dict:
    """libpq's variables for the connection: nothing secret on the command line (ps shows it)."""
    environment = {**os.environ}
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    options = database.get("OPTIONS") or {}
    libpq_names = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "connect_timeout": "PGCONNECT_TIMEOUT"}
    for option, variable in libpq_names.items():
        if options.get(option):
            values[variable] = str(options[option])
    environment.update({name: value for name, value in values.items() if value})
    return environment


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DomainError(
            _("找不到 PostgreSQL 客户端程序 %(program)s：请安装与数据库服务器同版本的 postgresql-client。")
            % {"program": name}
        )
    return path


def _run(command: list[str], environment: dict, what: str) -> str:
    # A program found on PATH by its fixed name, arguments from settings, no shell.
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # nosec B603
    if completed.returncode != 0:
        raise DomainError(
            _("%(what)s失败（%(program)s 退出码 %(code)s）：%(detail)s")
            % {
                "what": what,
                "program": Path(command[0]).name,
                "code": completed.returncode,
                "detail": completed.stderr.strip()[-2000:],
            }
        )
    return completed.stdout


def _pg_user_tables(database: dict) -> int:
    query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    command = [_pg_tool("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", query]
    output = _run(command, _pg_environment(database), _("读取数据库"))
    return int(output.strip() or 0)


def _pg_backup(database: dict, target: Path) -> int:
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
        _pg_environment(database),
        _("备份"),
    )
    return _pg_user_tables(database)


def _pg_restore(database: dict, source: Path, *, clean: bool) -> None:
    command = [
        _pg_tool("pg_restore"),
        "--no-password",
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",  # the target's own user owns what is restored
        "--no-privileges",
        f"--dbname={database['NAME']}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(source)], _pg_environment(database), _("恢复"))


# ---- SQLite -------------------------------------------------------------------------------------


def _sqlite_tables(connection: sqlite3.Connection) -> int:
    query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return connection.execute(query).fetchone()[0]


def _sqlite_copy(source_path: str, target_path: str) -> int:
    with sqlite3.connect(source_path) as source, sqlite3.connect(target_path) as target:
        source.backup(target)  # page by page, consistent while others write
        return _sqlite_tables(target)


def _sqlite_open_existing(path: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise DomainError(_("无法打开 SQLite 文件：%(error)s") % {"error": error}) from error


# ---- the two operations -------------------------------------------------------------------------


def database_backup(*, database: dict, output: Path | None = None) -> BackupFile:
    """Write a backup of `database` to `output` (by default a dated file in PORTAL_BACKUP_DIR),
    readable by its owner only, with its SHA-256 beside it. The file appears only when complete."""
    output = Path(output) if output else default_backup_path(database)
    if output.exists():
        raise DomainError(_("备份文件 %(path)s 已存在，不会覆盖。") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent)
    os.close(handle)
    partial = Path(partial)
    try:
        os.chmod(partial, 0o600)  # the whole portal's data: personal details, scores, the audit log
        if _is_postgresql(database):
            tables = _pg_backup(database, partial)
        elif _is_sqlite(database):
            if database["NAME"] == ":memory:" or not Path(database["NAME"]).exists():
                raise DomainError(_("SQLite 数据库文件不存在：%(path)s") % {"path": database["NAME"]})
            tables = _sqlite_copy(str(database["NAME"]), str(partial))
        else:
            raise DomainError(_("不支持备份此类数据库：%(engine)s") % {"engine": database["ENGINE"]})
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    checksum = _sha256(output)
    _checksum_path(output).write_text(f"{checksum}  {output.name}\n", encoding="utf-8")
    return BackupFile(path=output, size=output.stat().st_size, sha256=checksum, tables=tables)


def _not_empty(name) -> DomainError:
    return DomainError(
        _("目标数据库 %(name)s 不是空的：请恢复到新建的空数据库，或确认覆盖后加 --clean。") % {"name": name}
    )


def database_restore(*, database: dict, source: Path, clean: bool = False) -> int:
    """Restore the backup `source` into `database`, which must be empty unless `clean` (then what
    is there is replaced). Checks the SHA-256 written beside the backup, when there is one.
    Returns the number of tables the database then holds."""
    source = Path(source)
    if not source.is_file():
        raise DomainError(_("备份文件不存在：%(path)s") % {"path": source})
    checksum_file = _checksum_path(source)
    if checksum_file.exists():
        expected = (checksum_file.read_text(encoding="utf-8").split() or [""])[0]
        if expected != _sha256(source):
            raise DomainError(
                _("备份文件校验失败（SHA-256 与 %(name)s 不符），文件可能已损坏或被改动。")
                % {"name": checksum_file.name}
            )
    if _is_postgresql(database):
        if not clean and _pg_user_tables(database):
            raise _not_empty(database["NAME"])
        _pg_restore(database, source, clean=clean)
        return _pg_user_tables(database)
    if _is_sqlite(database):
        with _sqlite_open_existing(str(source)) as backup:
            try:
                backup.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as error:
                raise DomainError(_("备份文件不是 SQLite 数据库：%(error)s") % {"error": error}) from error
        target = Path(database["NAME"])
        if target.exists() and not clean:
            with sqlite3.connect(str(target)) as existing:
                if _sqlite_tables(existing):
                    raise _not_empty(target)
        return _sqlite_copy(str(source), str(target))  # the backup API replaces the target whole, atomically
    raise DomainError(_("不支持恢复此类数据库：%(engine)s") % {"engine": database["ENGINE"]})
