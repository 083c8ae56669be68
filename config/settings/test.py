"""Settings for the test suite. DATABASE_URL / CELERY_BROKER_URL still switch to the real services."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never used outside tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run tasks in-process unless they are about the worker: tests/workers turns this off for
# the duration of a test and sends the task through Redis to a real worker process.
CELERY_TASK_ALWAYS_EAGER = True
# A worker started by a test with PORTAL_TEST_WORKER_QUEUE sends what it queues itself (a retry, a
# follow-up task) through Redis to its own queue, as a production worker does, instead of running it
# in-process at once.
if _worker_queue := env_str("PORTAL_TEST_WORKER_QUEUE"):
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_TASK_DEFAULT_QUEUE = _worker_queue

# Static files straight from the source folders (no collectstatic needed outside production).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The test database on SQLite is in memory and shared between the test and the live server's
# thread; there the file database's queueing (IMMEDIATE transactions, WAL) has nothing to queue and
# shared-cache locks do not wait. tests/config/test_sqlite_concurrency.py tests those options on
# a file, in a process of its own with the portal's real settings.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405

# The suite's many API requests from one address and a handful of reused user ids stay under any
# rate; tests of the throttles set their own (accounts.api.throttles reads them on each request).
PORTAL_API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min", "token": "100000/min"}
# A password alone signs in (tests of the second factor turn it on).
PORTAL_REQUIRE_TOTP = False
