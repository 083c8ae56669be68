"""The API's rate limits on the Redis cache (accounts.api.throttles, issue #20): one script per
request instead of DRF's history read and written whole, with DRF's rule — the same answers and the
same Retry-After as DRF's own throttle for the same requests at the same moments."""

import random
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.api.throttles import PortalAnonThrottle, PortalUserThrottle


@pytest.fixture
def rates(settings):
    settings.PORTAL_API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min", "token": "10/min"}
    return settings


def _visitor(address="10.1.2.3"):
    request = RequestFactory().get("/api/v1/scenarios/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def _ask(throttle_class, backend, request, now):
    throttle = throttle_class()
    throttle.cache, throttle.timer = backend, lambda: now
    allowed = throttle.allow_request(request, None)
    return allowed, None if allowed else round(throttle.wait(), 6)


def test_a_visitor_beyond_the_rate_is_refused_until_the_oldest_request_is_a_period_old(rates, redis_cache):
    answers = [_ask(PortalAnonThrottle, redis_cache, _visitor(), now) for now in (1000.0, 1010.0, 1020.0, 1030.0)]
    assert answers == [(True, None), (True, None), (True, None), (False, 30.0)]
    assert _ask(PortalAnonThrottle, redis_cache, _visitor(), 1059.9)[0] is False
    assert _ask(PortalAnonThrottle, redis_cache, _visitor(), 1060.0) == (True, None)  # 1000 has left the minute
    assert _ask(PortalAnonThrottle, redis_cache, _visitor("10.1.2.4"), 1060.0) == (True, None)  # another address


@pytest.mark.django_db
def test_the_answers_and_waits_are_drfs_for_the_same_requests(rates, redis_cache):
    """DRF's own list-based throttle (a local-memory cache) and the Redis script, request by request."""
    from tests.factories.accounts import UserFactory

    person = UserFactory(roles=["company"])
    request = RequestFactory().get("/api/v1/me/")
    request.user = person
    drf_cache = LocMemCache(f"drf-{uuid.uuid4().hex}", {})
    rng, now = random.Random(20), 5000.0
    for _step in range(120):
        now += rng.choice([0.0, 0.5, 3.0, 11.0, 25.0])
        assert _ask(PortalUserThrottle, redis_cache, request, now) == _ask(PortalUserThrottle, drf_cache, request, now)


@pytest.mark.django_db
def test_the_api_answers_429_beyond_a_persons_rate_on_the_redis_cache(rates, redis_cache, settings):
    from tests.factories.accounts import UserFactory

    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.PortalRedisCache",
            "LOCATION": redis_cache._servers[0],
            "KEY_PREFIX": redis_cache.key_prefix,
        }
    }
    assert isinstance(caches["default"], RedisCache)
    api = APIClient()
    api.force_authenticate(UserFactory(roles=["company"]))
    answers = [api.get(reverse("v1:me")) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert "请求已被限流" in answers[-1].json()["detail"] and int(answers[-1]["Retry-After"]) > 55
