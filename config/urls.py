from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import public_home

# Uploaded and generated files are never served from MEDIA_URL: every download goes through a
# view that checks who is asking (e.g. accounts:job-download).
urlpatterns = [
    # First: a script's API request is matched here at once, not after every page pattern of every app.
    path("api/v1/", include("config.api_router", namespace="v1")),
    path("", public_home, name="public-home"),
    path("", include("accounts.urls")),
    path("", include("core.urls")),
    path("", include("scenarios.urls")),
    path("", include("capability_list.urls")),
    path("", include("matching.urls")),
    path("", include("contests.urls")),
    path("", include("evaluation.urls")),
    path("", include("steering.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script (CSP).
    # The API is described to signed-in people only (the schema's SERVE_PERMISSIONS, this page's
    # sign-in redirect): an anonymous visitor has no use for it and an attacker a map.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("admin/", admin.site.urls),
]
