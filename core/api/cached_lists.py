"""API lists that are the same for everyone who may ask for them, answered from the cache.

The public scenario catalogue and the listed capability entries hold nothing personal: a company's
script, a visitor and an operator asking /api/v1/scenarios/?page=3 get the same rows. Counting,
reading and serialising them was most of such a request's time (issue #20); the serialised data is
stored per address (scheme and host included: the pagination links carry them), language and
version of the page-cache scope whose models the list shows (core.page_cache), so a change to any
of them shows on the next request. Authentication, throttling and permissions run as before, on
every request; a list whose rows depend on who asks (`?scope=mine`, the operators' `?scope=review`)
is never stored, nor the browsable API's HTML page of a list.
"""

from rest_framework.response import Response

from core.page_cache import cached_value


class CachedPublicListMixin:
    """For a ViewSet whose `list` without `?scope=` is public: `public_list_scope` names the
    page-cache scope that covers every model its serializer shows."""

    public_list_scope = ""

    def list(self, request, *args, **kwargs):
        # The browsable API (?format=api) draws its page links from the paginator's own pass.
        if "scope" in request.query_params or request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        data = cached_value(
            self.public_list_scope,
            request,
            f"api-list:{self.basename}",
            lambda: super(CachedPublicListMixin, self).list(request, *args, **kwargs).data,
        )
        return Response(data)
