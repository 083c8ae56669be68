"""core.redis_cache.PortalRedisCache: Django's Redis cache keeping one client per connection pool
(issue #20), shared by the threads of a gunicorn worker."""

import threading
import uuid

import pytest

from core.redis_cache import PortalRedisCache
from tests.conftest import redis_url


@pytest.fixture
def backend():
    prefix = f"test-cache-{uuid.uuid4().hex}"
    cache = PortalRedisCache(redis_url(), {"KEY_PREFIX": prefix})
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_every_call_uses_the_same_client(backend):
    first = backend._cache.get_client("a", write=True)
    backend.set("a", {"rows": [1, 2]}, 30)
    assert backend.get("a") == {"rows": [1, 2]}
    assert backend.get_many(["a", "missing"]) == {"a": {"rows": [1, 2]}}
    assert backend._cache.get_client("b") is first and backend._cache.get_client(write=True) is first


def test_threads_share_the_client_and_each_reads_its_own_values(backend):
    errors = []

    def work(number):
        try:
            for step in range(50):
                backend.set(f"thread-{number}", step, 30)
                assert backend.get(f"thread-{number}") == step
        except AssertionError as error:  # pragma: no cover — reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.get_many([f"thread-{number}" for number in range(8)]) == {f"thread-{n}": 49 for n in range(8)}
