"""core.page_cache.cached_value: an API answer's data read with its scope's version in one round trip
to the cache (issue #20), and never served once the scope has changed."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import page_cache
from core.page_cache import cached_value, pages_changed

pytestmark = pytest.mark.django_db  # pages_changed bumps again when the transaction commits

SCOPE = "tests.values"


@pytest.fixture
def request_for():
    cache.clear()
    yield lambda path="/api/v1/things/?page=2": RequestFactory().get(path)
    cache.clear()


class CountingCache:
    """The cache, counting the round trips page_cache makes to it."""

    def __init__(self):
        self.reads, self.writes = 0, 0

    def get_many(self, keys):
        self.reads += 1
        return cache.get_many(keys)

    def get(self, key, default=None):
        self.reads += 1
        return cache.get(key, default)

    def set(self, key, value, timeout=None):
        self.writes += 1
        return cache.set(key, value, timeout)


def test_a_stored_value_is_read_with_its_version_in_one_round_trip(request_for, monkeypatch):
    counting = CountingCache()
    monkeypatch.setattr(page_cache, "cache", counting)
    assert cached_value(SCOPE, request_for(), "things", lambda: {"rows": [1, 2]}) == {"rows": [1, 2]}
    assert (counting.reads, counting.writes) == (1, 1)
    assert cached_value(SCOPE, request_for(), "things", lambda: pytest.fail("computed again")) == {"rows": [1, 2]}
    assert (counting.reads, counting.writes) == (2, 1)


def test_a_change_to_the_scope_makes_the_stored_value_stale(request_for):
    assert cached_value(SCOPE, request_for(), "things", lambda: "before") == "before"
    pages_changed(SCOPE)
    assert cached_value(SCOPE, request_for(), "things", lambda: "after") == "after"
    assert cached_value(SCOPE, request_for(), "things", lambda: "never") == "after"


def test_a_value_computed_while_the_scope_changed_is_not_served_afterwards(request_for):
    def computed_during_a_change():
        pages_changed(SCOPE)  # another request's write commits while this one reads the old data
        return "read before the change"

    assert cached_value(SCOPE, request_for(), "things", computed_during_a_change) == "read before the change"
    assert cached_value(SCOPE, request_for(), "things", lambda: "read after it") == "read after it"


def test_each_address_and_name_has_its_own_value(request_for):
    assert cached_value(SCOPE, request_for("/a/?page=1"), "things", lambda: 1) == 1
    assert cached_value(SCOPE, request_for("/a/?page=2"), "things", lambda: 2) == 2
    assert cached_value(SCOPE, request_for("/a/?page=1"), "others", lambda: 3) == 3
    assert cached_value(SCOPE, request_for("/a/?page=1"), "things", lambda: 0) == 1


def test_a_value_keep_refuses_is_computed_every_time(request_for):
    answers = iter(["draft", "draft again"])
    keep_none = {"keep": lambda value: False}
    assert cached_value(SCOPE, request_for(), "things", lambda: next(answers), **keep_none) == "draft"
    assert cached_value(SCOPE, request_for(), "things", lambda: next(answers), **keep_none) == "draft again"


def test_several_scopes_are_read_in_one_round_trip_and_each_goes_stale_on_its_own(request_for, monkeypatch):
    """scopes_read (the 驾驶舱's charts): every key with its own scope's version in one read; a change
    to one scope makes only that scope's value stale."""
    from core.page_cache import NOT_STORED, scopes_read, scopes_store

    wanted = {"value:a": "tests.a", "value:b": "tests.b"}
    found = scopes_read(wanted)
    assert [value for value, _version in found.values()] == [NOT_STORED, NOT_STORED]
    scopes_store({key: (version, key.upper()) for key, (_value, version) in found.items()})
    counting = CountingCache()
    monkeypatch.setattr(page_cache, "cache", counting)
    assert {key: value for key, (value, _version) in scopes_read(wanted).items()} == {
        "value:a": "VALUE:A",
        "value:b": "VALUE:B",
    }
    assert counting.reads == 1
    monkeypatch.undo()
    pages_changed("tests.b")
    after = scopes_read(wanted)
    assert after["value:a"][0] == "VALUE:A" and after["value:b"][0] is NOT_STORED


def test_a_value_several_scopes_show_goes_stale_when_any_of_them_changes():
    """scopes_read with a tuple of scopes (a company's 推荐场景 rows): the version is the tuple of
    theirs, and a change to any one of them makes the value stale."""
    from core.page_cache import NOT_STORED, scope_store, scopes_read

    wanted = {"value:rows": ("tests.rows", "tests.calls", "tests.company:1")}
    value, versions = scopes_read(wanted)["value:rows"]
    assert value is NOT_STORED and isinstance(versions, tuple) and len(versions) == 3
    scope_store("value:rows", versions, "rows")
    assert scopes_read(wanted)["value:rows"][0] == "rows"
    pages_changed("tests.company:2")  # another company's scope: no change here
    assert scopes_read(wanted)["value:rows"][0] == "rows"
    pages_changed("tests.calls")
    assert scopes_read(wanted)["value:rows"][0] is NOT_STORED
