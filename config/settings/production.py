"""Production: PostgreSQL, Redis and real workers; every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import cache_settings, env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY 太弱：至少 50 个字符且足够随机 (DJANGO_SECRET_KEY must be 50+ random characters)."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS 必须设置 (DJANGO_ALLOWED_HOSTS is required).")
# "*" accepts any Host header: password-reset and confirmation links could then be built on an
# attacker's host name. Production names its hosts (".example.gov.cn" covers the subdomains).
_WILDCARDS = [host for host in ALLOWED_HOSTS if "*" in host]
if _WILDCARDS:
    raise ImproperlyConfigured(
        f"DJANGO_ALLOWED_HOSTS 不能使用通配符（{', '.join(_WILDCARDS)}）："
        "请列出门户的域名，子域名可写作 .example.gov.cn "
        f"(DJANGO_ALLOWED_HOSTS must name the portal's hosts, not {', '.join(_WILDCARDS)}; "
        "write .example.gov.cn for a domain and its subdomains)."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "生产环境必须使用 PostgreSQL：请设置 DATABASE_URL (production needs DATABASE_URL=postgres://…)."
    )
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("生产环境必须设置 CELERY_BROKER_URL (production needs a Redis broker).")

# One cache for every gunicorn process and machine: a chart invalidated by one process's write must
# not be served stale by another's memory, and a rate limit must count a client's requests on all
# of them. CACHE_URL names its own Redis database; without it, the broker's Redis holds the cache
# too (the keys carry a prefix, so they never meet Celery's).
CACHES = {"default": cache_settings(env_str("CACHE_URL") or CELERY_BROKER_URL)}
# A signed-in request reads its session from that cache instead of PostgreSQL; every change is
# written to both, so an emptied cache signs nobody out. Only with the shared cache: a cache per
# process would go on serving a session that another process ended.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No superuser: the system administrator's rights are the 系统管理员 group's (base.py).
PORTAL_ALLOW_SUPERUSER = False
# The roles that decide, steer and administer prove a TOTP code after their password.
PORTAL_REQUIRE_TOTP = env_bool("PORTAL_REQUIRE_TOTP", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
