import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.env import env_bool, env_broker_url, env_int, parse_database_url
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]


def test_postgres_url_is_parsed():
    database = parse_database_url("postgres://postgres:p%40ss@127.0.0.1:5432/portal")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"], database["HOST"], database["PORT"]) == (
        "portal",
        "postgres",
        "p@ss",
        "127.0.0.1",
        "5432",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/portal", "只支持 postgres:// 或 sqlite://"),
        ("postgres://postgres@127.0.0.1:5432/", "缺少数据库名"),
        ("postgres://postgres@127.0.0.1:99999/portal", "端口无效"),
    ],
)
def test_bad_database_urls_stop_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(url)


def test_bad_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT.*不是整数"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@localhost//")
    with pytest.raises(ImproperlyConfigured, match="只支持 redis://"):
        env_broker_url("CELERY_BROKER_URL")


def _manage(*args, **env):
    # Only what the test names: not the test run's database, broker, or the browser tests' async flag.
    leave_out = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    environment = {key: value for key, value in os.environ.items() if key not in leave_out}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_process_refuses_to_start_on_a_bad_setting():
    result = _manage("check", DATABASE_URL="mysql://x@y/z")
    assert result.returncode != 0 and "只支持 postgres:// 或 sqlite://" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k3#vZ8q!pL2@wN9x$T5r^Y7u&M4e*B6c(H1j)D0g_F3s+A8o-Q2i",
        DJANGO_ALLOWED_HOSTS="scenarios.ningbo.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_weak_secret_key():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="short",
        DJANGO_ALLOWED_HOSTS="scenarios.ningbo.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY 太弱" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "scenarios.ningbo.gov.cn, *", "*.ningbo.gov.cn"])
def test_production_refuses_a_wildcard_allowed_host(hosts):
    """'*' accepts any Host header, which links in e-mails may be built on (#18): refused at start-up."""
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k3#vZ8q!pL2@wN9x$T5r^Y7u&M4e*B6c(H1j)D0g_F3s+A8o-Q2i",
        DJANGO_ALLOWED_HOSTS=hosts,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_ALLOWED_HOSTS 不能使用通配符" in result.stderr


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/organisations/" in schema and "/api/v1/jobs/" in schema


@pytest.mark.django_db
def test_swagger_ui_is_served_without_internet(client, company_member):
    login(client, company_member)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    # Every asset the page loads is on this server (the page also carries random tokens, so a
    # search for "cdn" in its text fails now and then without meaning anything).
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    assert assets and all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    assert "//unpkg" not in page and "jsdelivr" not in page and "cdnjs" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page


def test_no_template_loads_an_asset_from_outside():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if 'src="http' in text or 'href="http' in text or 'src="//' in text or 'href="//' in text:
            offenders.append(str(path))
    assert offenders == []
    assert (ROOT / "static/vendor/htmx.min.js").stat().st_size > 10_000
    assert (ROOT / "static/vendor/echarts.min.js").stat().st_size > 500_000


def test_make_run_mails_links_to_the_port_it_serves_on():
    """The registration e-mail linked to port 8000 whatever `make run PORT=…` chose."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "PORTAL_BASE_URL"},
    )
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert runserver and "http://0.0.0.0:8123" in runserver[0] and "runserver 0.0.0.0:8123" in runserver[0]


@pytest.mark.django_db
def test_the_api_is_described_to_signed_in_people_only(client, company_member):
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")
    assert client.get("/api/schema/").status_code in (401, 403)
    assert "/api/docs/" not in client.get("/").content.decode()

    login(client, company_member)
    assert client.get("/api/schema/").status_code == 200
    assert "/api/docs/" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.config.failing_urls")
def test_an_unexpected_error_shows_a_chinese_page_with_its_english_translation(client, settings):
    """Django's own 500 page is one English line; ours says what to do, in both languages, and
    needs no request context (the error may lie in a context processor or the database)."""
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出错" in page and "Sorry, something went wrong" in page
    assert "/static/css/portal.css" in page


_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k3#vZ8q!pL2@wN9x$T5r^Y7u&M4e*B6c(H1j)D0g_F3s+A8o-Q2i",
    "DJANGO_ALLOWED_HOSTS": "scenarios.ningbo.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
_SHOW = (
    "from django.conf import settings; cache = settings.CACHES['default']; "
    "print(cache['BACKEND'], cache.get('LOCATION', ''), settings.DATABASES['default']['CONN_MAX_AGE'])"
)


def test_production_shares_one_redis_cache_and_sizes_connections_from_the_environment():
    """Every process reads the same cache (issue #20): CACHE_URL, else the broker's Redis."""
    shared = _manage("shell", "-v", "0", "-c", _SHOW, **_PRODUCTION)
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.split() == ["core.redis_cache.PortalRedisCache", "redis://127.0.0.1:6379/0", "60"]
    own = _manage(
        "shell", "-v", "0", "-c", _SHOW, **_PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/1", DATABASE_CONN_MAX_AGE="0"
    )
    assert own.stdout.split() == ["core.redis_cache.PortalRedisCache", "redis://127.0.0.1:6379/1", "0"]
    refused = _manage("check", **_PRODUCTION, CACHE_URL="memcached://127.0.0.1:11211")
    assert refused.returncode != 0 and "CACHE_URL" in refused.stderr and "只支持 redis://" in refused.stderr


def test_in_process_tasks_use_an_in_memory_transport_and_log_no_broker_warning(caplog):
    """`make run` (no broker): an eager task takes a producer from Celery's pool; its connection is
    the in-memory transport, not amqp://localhost with kombu's "No hostname was supplied" warning.
    With a broker (CI), the broker's URL is used as set."""
    from django.conf import settings

    from config.celery_app import app

    if settings.CELERY_BROKER_URL or not settings.CELERY_TASK_ALWAYS_EAGER:
        assert app.conf.broker_url == settings.CELERY_BROKER_URL
        return
    assert app.conf.broker_url == "memory://localhost/"
    with caplog.at_level("WARNING", logger="kombu.connection"), app.producer_or_acquire() as producer:
        assert producer.connection.transport_cls == "memory"
        producer.connection.info()  # where kombu logs the missing hostname
    assert "No hostname" not in caplog.text
