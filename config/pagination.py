from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from core.ids import whole_number
from core.paging import LargeCountCachedPaginator


class PortalPagination(PageNumberPagination):
    """DRF's page numbers, read strictly: a `page_size` that is not a whole number is a 400 and a
    `page` that is not one (empty included) a 404, where DRF would quietly answer the first page at
    the default size — the schema says both are integers, and a client's typo should not look like
    a short list."""

    django_paginator_class = LargeCountCachedPaginator  # a long list's total counted once a minute
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        size = whole_number(text)
        if size is None or size < 1:
            raise ValidationError({"page_size": [_("每页条数应为正整数（最多 200）。")]})
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        text = request.query_params.get(self.page_query_param)
        if text is None or text in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if whole_number(text) is None:
            raise NotFound(_("页码应为正整数。"))
        return text
