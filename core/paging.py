"""Pagination for list pages: a page of the queryset, the size chosen from an allowed set."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZES = (20, 50, 100)


def page_of(request, queryset, *, sizes: tuple[int, ...] = PAGE_SIZES) -> Page:
    """The requested page (?page=, ?page_size= among `sizes`); bad values fall back to the first page and size."""
    try:
        size = int(request.GET.get("page_size", sizes[0]))
    except ValueError:
        size = sizes[0]
    return Paginator(queryset, size if size in sizes else sizes[0]).get_page(request.GET.get("page"))


# A list this long is counted once a minute (per query) rather than on every page: the count of
# 85,000 listed capability entries is an index scan of 30–45 ms, more than the page itself.
LARGE_COUNT = 10_000
LARGE_COUNT_SECONDS = 60


class LargeCountCachedPaginator(Paginator):
    """Django's paginator whose total, when it reaches LARGE_COUNT, is kept in the cache for
    LARGE_COUNT_SECONDS under the SQL and parameters of the list's ids (so each filter and user scope
    has its own). A shorter list — most filtered ones — is counted exactly on every request;
    a long one may show a total up to a minute old (a page number past a new last page answers as
    Django does: the last page, or the API's 404). The rows of every page are always read fresh."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            # The key is the SQL of the rows' ids, not of the rows: compiling the list's own select
            # (every column of its joined tables) cost more than the count (issue #20). The order
            # and the joined columns never change the total.
            sql, params = self.object_list.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing to count
            return super().count
        key = "paging:count:" + hashlib.sha256(f"{self.object_list.db}\n{sql}\n{params!r}".encode()).hexdigest()
        stored = cache.get(key)
        if stored is not None:
            return stored
        count = super().count
        if count >= LARGE_COUNT:
            cache.set(key, count, LARGE_COUNT_SECONDS)
        return count
