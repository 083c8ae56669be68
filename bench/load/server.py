"""What the benchmark's server adds to the portal (config/settings/bench.py): the minimal view, the
stack's floor every journey is compared with, and the query count of each request."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns

MINIMAL_PATH = "/bench/minimal/"


def minimal(request):
    """A fixed JSON answer through the same middleware (sessions, CSRF, security headers) and
    gunicorn as every page: what a request costs before the portal does anything."""
    return JsonResponse({"ok": True, "portal": "场景开放门户"})


class QueryCountMiddleware:
    """Adds X-Queries: the SQL statements this request ran (counted by an execute wrapper, so it
    works with DEBUG off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = [0]

        def count(execute, sql, params, many, context):
            counter[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Queries"] = str(counter[0])
        return response


urlpatterns = [path(MINIMAL_PATH.strip("/") + "/", minimal, name="bench-minimal"), *portal_urlpatterns]
