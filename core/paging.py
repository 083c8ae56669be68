"""Pagination for list pages: a page of the queryset, the size chosen from an allowed set."""

from django.core.paginator import Page, Paginator

PAGE_SIZES = (20, 50, 100)


def page_of(request, queryset, *, sizes: tuple[int, ...] = PAGE_SIZES) -> Page:
    """The requested page (?page=, ?page_size= among `sizes`); bad values fall back to the first page and size."""
    try:
        size = int(request.GET.get("page_size", sizes[0]))
    except ValueError:
        size = sizes[0]
    return Paginator(queryset, size if size in sizes else sizes[0]).get_page(request.GET.get("page"))
