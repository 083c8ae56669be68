"""How often the API answers one client (DRF throttles; a 429 with DRF's Chinese message).

The rates come from settings.PORTAL_API_THROTTLE_RATES, read on each request (DRF's own classes
read theirs once, at import), so an environment — or a test — sets its own.

DRF keeps each client's history as a list in the cache, read and written whole on every request: two
round trips, and a list as long as the rate (600 timestamps a minute for a person's script). With the
Redis cache the same history is a sorted set that Redis trims, counts and adds to in one script: one
round trip, nothing carried back and forth, and no lost update when two requests of one client
arrive together (issue #20). The rule is DRF's: a request is refused when the client's successful
requests in the last period reach the rate, and Retry-After is computed the same way."""

import uuid

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from redis.commands.core import Script
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle, UserRateThrottle

from core.request_context import current_origin

# KEYS[1]: the history; ARGV: now, period (s), rate, a member name of this request. Returns
# {1, ""} when the request is let through (and recorded), {0, count, oldest} when it is refused.
# Run by its SHA-1 (EVALSHA), loaded into Redis on first use; bytes, so that no client is needed here.
_SLIDING_LOG = Script(
    None,
    b"""
local now, period, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(period))
  return {1, ''}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, count, oldest[2]}
""",
)


class _SlidingLogOnRedis(SimpleRateThrottle):
    """DRF's check with the history in a Redis sorted set (see the module). Last of a throttle's
    bases: DRF's scoped throttle settles its rate first, then calls this."""

    def allow_request(self, request, view):
        # DRF's `cache` is Django's proxy of the default cache: the backend behind it decides.
        backend = caches[DEFAULT_CACHE_ALIAS] if self.cache is default_cache else self.cache
        if self.rate is None or not isinstance(backend, RedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        key = backend.make_and_validate_key(f"sliding:{self.key}")  # not DRF's key: another kind of value
        client = backend._cache.get_client(key, write=True)  # Django's client of the same Redis
        # The member is unique: two requests in the same microsecond are two requests.
        allowed, *refused = _SLIDING_LOG(
            keys=[key], args=[repr(self.now), self.duration, self.num_requests, uuid.uuid4().hex], client=client
        )
        if int(allowed):
            return True
        count, oldest = int(refused[0]), float(refused[1])
        self.history = [self.now] * (count - 1) + [oldest]  # what DRF's wait() reads: the oldest last
        return self.throttle_failure()


class _SettingsRate:
    def get_rate(self):
        return settings.PORTAL_API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The address the audit trail records (core.request_context.client_address): DRF's own
        # get_ident believes any X-Forwarded-For unless NUM_PROXIES is set, so a client could
        # pick a new "address" for every request and never be throttled.
        return current_origin().ip_address or request.META.get("REMOTE_ADDR")


class PortalAnonThrottle(_SettingsRate, AnonRateThrottle, _SlidingLogOnRedis):
    """Visitors not signed in, per address."""


class PortalUserThrottle(_SettingsRate, UserRateThrottle, _SlidingLogOnRedis):
    """Signed-in people (session or token), per person."""


class PortalScopedThrottle(_SettingsRate, ScopedRateThrottle, _SlidingLogOnRedis):
    """Views that name a stricter scope (`throttle_scope = "token"`: the token endpoint, per address)."""
