"""A URL configuration with one view that fails, for the test of the 500 page."""

from django.urls import path


def fails(request):
    raise RuntimeError("a failure the 500 page must survive")


urlpatterns = [path("fails/", fails)]
