import os
import shutil
import tempfile

import pytest

from tests.factories.accounts import OrganisationFactory, UserFactory, government

TEST_PASSWORD = "Secret-pass-2026"


def services_required() -> bool:
    """In CI a missing service or browser fails the test instead of skipping it."""
    return os.environ.get("CI_REQUIRE_SERVICES") == "1"


def require(available: bool, what: str) -> None:
    if available:
        return
    if services_required():
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available")


def redis_url() -> str:
    """The Redis of the tests that need a real one (CACHE_URL, else CELERY_BROKER_URL); skipped
    without one, failed in CI."""
    url = os.environ.get("CACHE_URL") or os.environ.get("CELERY_BROKER_URL", "")
    available = False
    if url.startswith("redis"):
        try:
            import redis

            available = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except Exception:  # noqa: BLE001 — any failure means "not available"
            available = False
    require(available, "Redis (CACHE_URL or CELERY_BROKER_URL)")
    return url


@pytest.fixture
def redis_cache():
    """A real Redis cache (the portal's backend) of this test alone: its own key prefix, emptied of
    its keys afterwards."""
    import uuid

    from core.redis_cache import PortalRedisCache

    prefix = f"test-{uuid.uuid4().hex}"
    backend = PortalRedisCache(redis_url(), {"KEY_PREFIX": prefix})
    yield backend
    client = backend._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def count_cache_reads(monkeypatch) -> list:
    """The keys the code under test reads from the default cache from now on, one item per read
    (get_many's list of keys is one item: one round trip)."""
    from django.core.cache import caches

    store, reads, depth = caches["default"], [], []

    def counted(original):
        def read(key, *args, **kwargs):
            if not depth:  # the local-memory cache's get_many calls get: count the caller's reads only
                reads.append(key)
            depth.append(1)
            try:
                return original(key, *args, **kwargs)
            finally:
                depth.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(store, name, counted(getattr(store, name)))
    return reads


def ensure_reference_data() -> None:
    """Districts, domains and industry codes come from data migrations; a transactional test
    (browser, worker) flushes the database afterwards, so tests that need them re-seed them."""
    from django.contrib.auth.models import Group, Permission

    from accounts.models import District
    from accounts.reference_data import SYSTEM_ADMINISTRATOR_GROUP, seed_districts, seed_system_administrator_group
    from capability_list.models import Industry, StrategicArea
    from capability_list.reference_data import seed_industries, seed_strategic_areas
    from scenarios.models import Domain
    from scenarios.reference_data import seed_domains

    if not District.objects.exists():
        seed_districts(District)
    if not Group.objects.filter(name=SYSTEM_ADMINISTRATOR_GROUP).exists():
        seed_system_administrator_group(Group, Permission)
    if not Domain.objects.exists():
        seed_domains(Domain)
    if not Industry.objects.exists():
        seed_industries(Industry)
        seed_strategic_areas(StrategicArea)
    from matching.models import DomainAreaAffinity, DomainFieldAffinity
    from matching.reference_data import seed_affinities, seed_field_affinities

    if not DomainAreaAffinity.objects.exists():
        seed_affinities(Domain, StrategicArea, DomainAreaAffinity)
    if not DomainFieldAffinity.objects.exists():
        seed_field_affinities(Domain, DomainFieldAffinity)
    from evaluation.models import CaseNominationRule, Framework, GradeBand, Indicator
    from evaluation.reference_data import seed_default_frameworks

    if not Framework.objects.filter(version=1).exists() or not CaseNominationRule.objects.exists():
        seed_default_frameworks(Framework, Indicator, GradeBand, CaseNominationRule)
    from django.apps import apps

    from steering.models import AssessmentItem, AssessmentScheme, ProgrammeTask, Target, TargetPlanPoint
    from steering.reference_data import seed_assessment_scheme, seed_policy_targets, seed_programme

    if not ProgrammeTask.objects.exists():
        seed_programme(apps)
    if not Target.objects.exists():
        seed_policy_targets(Target, TargetPlanPoint)
    if not AssessmentScheme.objects.exists():
        seed_assessment_scheme(AssessmentScheme, AssessmentItem)


@pytest.fixture
def reference_data(db):
    ensure_reference_data()


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A request in English (the language cookie) leaves English active in the thread; the next
    test in the same process must start in the portal's language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page or chart stored by an earlier test (whose
    database is gone) must not answer this one's request (core.page_cache, steering.cockpit)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings):
    directory = tempfile.mkdtemp(prefix="portal-media-")
    settings.MEDIA_ROOT = directory
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def company():
    return OrganisationFactory()


@pytest.fixture
def company_member(company):
    return UserFactory(organisation=company, roles=["company"], is_organisation_admin=True)


@pytest.fixture
def operator():
    return UserFactory(organisation=government(), roles=["operator"])


@pytest.fixture
def auditor():
    return UserFactory(roles=["auditor"])


def login(client, user):
    client.force_login(user)
    return client


def home_panel(client, user, role: str, panel: str) -> str:
    """The HTML of one panel (data-testid="panel-<panel>") of the person's home page for `role`,
    up to the next panel."""
    from django.urls import reverse

    client.force_login(user)
    page = client.get(reverse("accounts:role-home", args=[role])).content.decode()
    return page.split(f'data-testid="panel-{panel}"')[1].split('data-testid="panel-')[0]
