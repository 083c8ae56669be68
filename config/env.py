"""Environment variables, read in one place.

Every setting that comes from the environment goes through one of these helpers, so that a bad
value stops the process at start-up with a message naming the variable, instead of surfacing
later as a confusing runtime error.
"""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(f"环境变量 {name} 必须设置 (environment variable {name} is required).")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name}={value!r} 不是布尔值，请使用 1/0、true/false、yes/no "
        f"({name} must be a boolean: 1/0, true/false, yes/no)."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={value!r} 不是整数 ({name} must be an integer).") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={number} 不能小于 {minimum} ({name} must be at least {minimum}).")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_socket_address(name: str) -> str:
    """A socket to reach a local service by: a Unix socket path (/run/clamav/clamd.ctl) or host:port
    (127.0.0.1:3310); '' when unset."""
    value = env_str(name)
    if not value or value.startswith("/"):
        return value
    host, _colon, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"环境变量 {name}={value!r} 应为 Unix 套接字路径（以 / 开头）或 主机:端口 "
            f"({name} must be a Unix socket path starting with / or host:port)."
        )
    return value


def parse_database_url(url: str, *, variable: str = "DATABASE_URL") -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(
                f"{variable} 缺少数据库名，例如 postgres://postgres@127.0.0.1:5432/portal "
                f"({variable} names no database)."
            )
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured(f"{variable} 的端口无效 ({variable} has an invalid port).") from None
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        path = (
            unquote(url[len("sqlite://") :]).lstrip("/")
            if url.startswith("sqlite:///") and not url.startswith("sqlite:////")
            else unquote(parsed.path)
        )
        if not path:
            raise ImproperlyConfigured(f"{variable} 缺少 SQLite 文件路径 ({variable} names no SQLite file).")
        return sqlite_database(path)
    raise ImproperlyConfigured(
        f"{variable}={url!r} 不受支持：只支持 postgres:// 或 sqlite:// "
        f"({variable} must start with postgres:// or sqlite://)."
    )


def sqlite_database(path: str) -> dict:
    """The embedded default, set for a room of people clicking at once: write transactions take the
    lock when they begin (IMMEDIATE), so two writers queue instead of one failing half-way with
    "database is locked"; a writer waits up to 20 s for the lock; WAL lets pages read while one
    writes."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def env_database(name: str, default_sqlite_path: str) -> dict:
    url = env_str(name)
    if not url:
        return sqlite_database(default_sqlite_path)
    return parse_database_url(url, variable=name)


def env_broker_url(name: str) -> str:
    """A Redis URL, or '' for the embedded default where tasks run in-process."""
    url = env_str(name)
    if url and urlparse(url).scheme not in ("redis", "rediss", "memory"):
        raise ImproperlyConfigured(f"{name}={url!r} 不受支持：只支持 redis:// (only redis:// brokers are supported).")
    return url


def cache_settings(url: str, *, variable: str = "CACHE_URL") -> dict:
    """The default cache: Redis for a redis:// URL (shared by every gunicorn process and machine, so
    a change seen by one invalidates the cached charts and pages of all), process memory for ''."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if urlparse(url).scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(
            f"{variable}={url!r} 不受支持：只支持 redis:// (only redis:// caches are supported)."
        )
    return {"BACKEND": "core.redis_cache.PortalRedisCache", "LOCATION": url, "KEY_PREFIX": "portal"}
