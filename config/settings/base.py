"""Settings shared by every environment. Values that vary come from config.env."""

import re
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    cache_settings,
    env_bool,
    env_broker_url,
    env_database,
    env_int,
    env_list,
    env_socket_address,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "scenarios",
    "capability_list",
    "matching",
    "contests",
    "evaluation",
    "steering",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.AuditTrailMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.SignInPolicyMiddleware",
]

# Scripts only from the portal's own files (no inline script, no other host: the portal runs on an
# intranet); style attributes are allowed (templates set widths inline). Forms post to the portal only.
PORTAL_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PORTAL_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# The client address in audit records, sign-in lockouts and API throttles (core.request_context.
# client_address): the peer's address, unless the portal sits behind reverse proxies that write the
# client's address into a header. Then name the header (X-Forwarded-For, X-Real-IP …) and how many
# proxies in a row add to it; a header is never trusted when none is named (clients can forge it).
PORTAL_TRUSTED_PROXY_HEADER = env_str("PORTAL_TRUSTED_PROXY_HEADER", "")
if PORTAL_TRUSTED_PROXY_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", PORTAL_TRUSTED_PROXY_HEADER):
    raise ImproperlyConfigured(
        f"PORTAL_TRUSTED_PROXY_HEADER={PORTAL_TRUSTED_PROXY_HEADER!r} 不是有效的请求头名称，例如 X-Forwarded-For "
        "(PORTAL_TRUSTED_PROXY_HEADER must be a header name such as X-Forwarded-For)."
    )
PORTAL_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 1, minimum=1)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.portal",
            ],
        },
    },
]

# Django's form templates, with the <select> written in Python (core/forms_rendering.py: the same HTML).
FORM_RENDERER = "core.forms_rendering.PortalFormRenderer"

DATABASES = {"default": env_database("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each gunicorn thread and Celery process keeps its own connection this many seconds (0: one per
    # request); PostgreSQL's max_connections must cover them all (README: Production guide).
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cached 驾驶舱 charts, anonymous catalogue pages and the API's rate counters. Without CACHE_URL
# each process keeps its own (fine for one `make run` process); production shares one Redis.
CACHES = {"default": cache_settings(env_str("CACHE_URL"))}

AUTH_USER_MODEL = "accounts.User"
# Django's backend behind a lock on repeated failures (accounts/sign_in.py).
AUTHENTICATION_BACKENDS = ["accounts.sign_in.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "public-home"

# Sessions (等保 level 3): one ends after PORTAL_SESSION_IDLE_MINUTES without a request and, whatever
# happens, PORTAL_SESSION_HOURS after signing in (accounts.middleware.SignInPolicyMiddleware).
PORTAL_SESSION_IDLE_MINUTES = env_int("PORTAL_SESSION_IDLE_MINUTES", 30, minimum=1)
PORTAL_SESSION_HOURS = env_int("PORTAL_SESSION_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = PORTAL_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens (accounts.models.ApiToken) expire after this many days.
PORTAL_API_TOKEN_DAYS = env_int("PORTAL_API_TOKEN_DAYS", 30, minimum=1)

# TOTP second factor for operators, officials, judges, the administrator and the auditor
# (accounts.second_factor). On in production; off here so the demo signs in with a password alone.
PORTAL_REQUIRE_TOTP = env_bool("PORTAL_REQUIRE_TOTP", False)

# 三员分立: the system administrator works in the admin through the model permissions of the
# 系统管理员 group, never as a Django superuser, who would hold every right at once. Off in
# production: createsuperuser refuses (accounts.models.PortalUserManager), and `check --deploy`
# fails while a superuser exists (accounts/checks.py). Here a developer may still make one.
PORTAL_ALLOW_SUPERUSER = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 等保 level 3: ten characters or more of three classes or more, none of the last five again.
    {"NAME": "accounts.validators.PasswordComplexityValidator", "OPTIONS": {"min_length": 10, "min_classes": 3}},
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English through the same gettext catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where `manage.py backup` writes when no --output is given (core.backups).
PORTAL_BACKUP_DIR = Path(env_str("PORTAL_BACKUP_DIR", str(BASE_DIR / "backups")))

# Uploads: anything bigger is refused by the form that accepts it, with a message; Django keeps
# larger bodies on disk rather than in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every upload is scanned by ClamAV's clamd when PORTAL_CLAMD names its socket (a path, or
# host:port); left empty (the embedded demo) nothing is scanned. A configured scanner that does not
# answer within PORTAL_CLAMD_TIMEOUT seconds refuses the upload (core.virus_scan).
PORTAL_CLAMD = env_socket_address("PORTAL_CLAMD")
PORTAL_CLAMD_TIMEOUT = env_int("PORTAL_CLAMD_TIMEOUT", 30, minimum=1)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "场景开放门户 <noreply@scenarios.ningbo.example>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Links in e-mails are absolute; the site's public address is configured, not guessed.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registration confirmation and invitation links stay valid this long.
ACCOUNT_CONFIRMATION_DAYS = env_int("ACCOUNT_CONFIRMATION_DAYS", 3, minimum=1)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)

# Enquiries (咨询对接): the addressee answers within this many working days; past the deadline by
# ENQUIRY_ESCALATE_AFTER_WORKING_DAYS more, the daily job escalates to the operators.
ENQUIRY_RESPONSE_WORKING_DAYS = env_int("ENQUIRY_RESPONSE_WORKING_DAYS", 5, minimum=1)
ENQUIRY_ESCALATE_AFTER_WORKING_DAYS = env_int("ENQUIRY_ESCALATE_AFTER_WORKING_DAYS", 2, minimum=0)

# Celery: with no broker the tasks run in-process (the embedded default); a redis:// broker
# means real workers, the production shape.
CELERY_BROKER_URL = env_broker_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # progress and results live in core.Job, not a result backend
# A task's message is acknowledged only when the task has finished, and a worker process that dies
# mid-task (killed, out of memory) puts its message back: no task is lost with its worker. Each
# worker process holds one message at a time, so a dying worker takes no queue of others with it.
# A task may therefore run again; every task is idempotent (a job claims its Job row, core.services.jobs).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits: at the soft limit the task is told (a job is marked failed with the reason), at the
# hard limit its worker process is killed. A job still 'running' past the hard limit has no live
# worker: the beat job core.jobs_requeue_stuck queues it again, up to PORTAL_JOB_MAX_ATTEMPTS starts.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - max(5, CELERY_TASK_TIME_LIMIT // 20)
# Transient errors (the database or Redis briefly away) are retried with exponential backoff and
# jitter, at most this many times, each wait at most PORTAL_TASK_RETRY_BACKOFF_MAX seconds
# (config.celery_app.PortalTask).
PORTAL_TASK_MAX_RETRIES = env_int("PORTAL_TASK_MAX_RETRIES", 5, minimum=0)
PORTAL_TASK_RETRY_BACKOFF_MAX = 300
# Redis hands an unacknowledged message to another worker after the visibility timeout. It must be
# longer than a task may run (the hard time limit) and than a retry may wait (its countdown), or a
# task still running would be delivered a second time on every timeout.
CELERY_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT",
    max(2 * CELERY_TASK_TIME_LIMIT, CELERY_TASK_TIME_LIMIT + PORTAL_TASK_RETRY_BACKOFF_MAX + 60),
    minimum=1,
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT + PORTAL_TASK_RETRY_BACKOFF_MAX:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} 必须大于任务时限与最长重试等待之和"
        f"（{CELERY_TASK_TIME_LIMIT} + {PORTAL_TASK_RETRY_BACKOFF_MAX} 秒），否则运行中的任务会被重复投递 "
        f"(CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT + {PORTAL_TASK_RETRY_BACKOFF_MAX} s)."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# A job started this many times without finishing (its worker died each time) is marked failed.
PORTAL_JOB_MAX_ATTEMPTS = env_int("PORTAL_JOB_MAX_ATTEMPTS", 3, minimum=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "enquiries-overdue": {"task": "capability_list.enquiries_check_overdue", "schedule": crontab(hour=8, minute=30)},
    "matching-rebuild": {"task": "matching.rebuild_matches", "schedule": crontab(hour=2, minute=15)},
    "jobs-requeue-stuck": {"task": "core.jobs_requeue_stuck", "schedule": crontab(minute="*/5")},
    # === contests: 公示 opens by the calendar ===
    "contests-rankings-announce": {"task": "contests.rankings_announce", "schedule": crontab(minute="*/15")},
    # === evaluation: findings ===
    "evaluation-findings-overdue": {
        "task": "evaluation.findings_notify_overdue",
        "schedule": crontab(hour=8, minute=45),
    },
    # === evaluation: tolerance ===
    "evaluation-tolerance-reminders": {
        "task": "evaluation.tolerance_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    # === steering: targets ===
    "steering-targets-snapshot": {
        "task": "steering.targets_snapshot_daily",
        "schedule": crontab(hour=1, minute=10),
    },
    # === steering: programme tasks ===
    "steering-cycle-open-monthly": {
        "task": "steering.cycle_open_monthly",
        "schedule": crontab(day_of_month=1, hour=0, minute=10),
    },
    "steering-lamps-refresh": {"task": "steering.lamps_refresh", "schedule": crontab(minute=5)},
    "steering-report-reminders": {"task": "steering.report_reminders", "schedule": crontab(hour=9, minute=0)},
    # === steering: SOE assessment ===
    # === steering: reports ===
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Rates in PORTAL_API_THROTTLE_RATES (accounts.api.throttles reads them on each request).
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.throttles.PortalAnonThrottle",
        "accounts.api.throttles.PortalUserThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    "EXCEPTION_HANDLER": "config.api_errors.portal_exception_handler",
}

# Requests per client to the API, answered 429 beyond: visitors per address, signed-in people per
# person (the cockpit's charts are a dozen requests a page), the token endpoint per address (a
# password is tried there).
PORTAL_API_THROTTLE_RATES = {
    "anon": env_str("PORTAL_API_THROTTLE_ANON", "120/min"),
    "user": env_str("PORTAL_API_THROTTLE_USER", "600/min"),
    "token": env_str("PORTAL_API_THROTTLE_TOKEN", "10/min"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "场景开放门户 API",
    "DESCRIPTION": "宁波市应用场景开放门户的 JSON API（v1）。会话或令牌认证。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status"; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.choices.OrganisationKind",
        "VerificationStatusEnum": "accounts.choices.VerificationStatus",
        "JobStateEnum": "core.choices.JobState",
        "ScenarioStatusEnum": "scenarios.choices.ScenarioStatus",
        "ZoneKindEnum": "scenarios.choices.ZoneKind",
        "EntryKindEnum": "capability_list.choices.EntryKind",
        "EntryStatusEnum": "capability_list.choices.EntryStatus",
        "CredentialKindEnum": "capability_list.choices.CredentialKind",
        "InstrumentRequestStatusEnum": "scenarios.choices.InstrumentRequestStatus",
        # matching's answer to a match kept its name when evaluation's decisions were added.
        "DecisionEnum": "matching.choices.MatchDecision",
        # An evaluation sheet is signed and locked as a contest score sheet is, with the same states.
        "ScoreSheetStatusEnum": "contests.choices.SheetStatus",
        "EvaluationLevelEnum": "evaluation.choices.Level",
        "RoundStatusEnum": "evaluation.choices.RoundStatus",
        "CaseDecisionEnum": "evaluation.choices.CaseDecision",
        "ReplicationKindEnum": "evaluation.choices.ReplicationKind",
        "ToleranceDecisionEnum": "evaluation.choices.ToleranceDecision",
        # steering: SOE assessment
        "ProductUseKindEnum": "steering.choices.ProductUseKind",
        "ProductUseStatusEnum": "steering.choices.ProductUseStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

PORTAL_NAME = _("场景开放门户")
