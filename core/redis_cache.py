"""Django's Redis cache, with one Redis client per connection pool for the life of the process.

Django's client builds a new `redis.Redis` around the pool for every cache call (its command table
and response callbacks each time): 0.15–0.2 ms, as much as the round trip itself, and an API request
answered from the cache makes three such calls (issue #20). A `redis.Redis` is safe to share
between threads (each command takes a connection from the pool), so one per pool is kept.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one the first time: either is fine, one is kept.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
