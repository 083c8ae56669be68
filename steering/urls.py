from django.urls import path  # noqa: F401

from steering import views  # noqa: F401

app_name = "steering"

urlpatterns = []

urlpatterns += [
    # === Targets ===
]

urlpatterns += [
    # === Programme tasks ===
]

urlpatterns += [
    # === SOE assessment ===
]

urlpatterns += [
    # === Cockpit ===
    path("steering/", views.cockpit, name="cockpit"),
    path("steering/drill/<slug:code>/", views.cockpit_drill, name="cockpit-drill"),
]

urlpatterns += [
    # === Reports ===
]
