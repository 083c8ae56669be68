"""core.redis_cache.PortalRedisCache: Django's Redis cache keeping one client per connection pool
(issue #20), shared by the threads of a gunicorn worker."""

import threading


def test_every_call_uses_the_same_client(redis_cache):
    first = redis_cache._cache.get_client("a", write=True)
    redis_cache.set("a", {"rows": [1, 2]}, 30)
    assert redis_cache.get("a") == {"rows": [1, 2]}
    assert redis_cache.get_many(["a", "missing"]) == {"a": {"rows": [1, 2]}}
    assert redis_cache._cache.get_client("b") is first and redis_cache._cache.get_client(write=True) is first


def test_threads_share_the_client_and_each_reads_its_own_values(redis_cache):
    errors = []

    def work(number):
        try:
            for step in range(50):
                redis_cache.set(f"thread-{number}", step, 30)
                assert redis_cache.get(f"thread-{number}") == step
        except AssertionError as error:  # pragma: no cover — reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert redis_cache.get_many([f"thread-{number}" for number in range(8)]) == {f"thread-{n}": 49 for n in range(8)}
