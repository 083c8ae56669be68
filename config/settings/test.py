"""Settings for the test suite. DATABASE_URL / CELERY_BROKER_URL still switch to the real services."""

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

# Static files straight from the source folders (no collectstatic needed outside production).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The test database on SQLite is in memory and shared between the test and the live server's
# thread; there the file database's queueing (IMMEDIATE transactions, WAL) has nothing to queue and
# shared-cache locks do not wait. tests/config/test_sqlite_concurrency.py tests those options on
# a file, in a process of its own with the portal's real settings.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405
