"""The embedded default: `make run` on a laptop — SQLite, tasks in-process, mail to the console."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)

# Static files straight from the source folders (no collectstatic needed outside production).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
