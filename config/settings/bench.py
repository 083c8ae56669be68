"""The load benchmark's server (bench/load_portal.py): production settings on plain HTTP at 127.0.0.1.

Everything production does stays on — DEBUG off, PostgreSQL, Redis as cache and broker, WhiteNoise
with the hashed and compressed static files, CSRF, the session rules — except what a load driver on
the same machine cannot do: TLS (so no HTTPS redirect and no Secure-only cookies), a TOTP code per
sign-in (PORTAL_REQUIRE_TOTP off, as in the demo), and the API's per-client rate limits (32 simulated
people share one address). Two additions: GET /bench/minimal/ (a fixed JSON answer, the stack's
floor) and an X-Queries header with the number of SQL queries each request ran.
"""

import os

# A fixed key is fine for a benchmark on 127.0.0.1; production.py checks its strength.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-load-" + "k3#vZ8q!pL2@wN9x$T5r^Y7u&M4e*B6c(H1j)D0g_F3s+A8o-Q2i")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from .production import *  # noqa: E402, F403
from .production import MIDDLEWARE  # noqa: E402

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PORTAL_REQUIRE_TOTP = False
PORTAL_API_THROTTLE_RATES = {"anon": "1000000/min", "user": "1000000/min", "token": "1000000/min"}

ROOT_URLCONF = "bench.load.server"
# First, so that it counts the queries of every other middleware too (the session, the user).
MIDDLEWARE = ["bench.load.server.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
