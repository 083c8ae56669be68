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
]

urlpatterns += [
    # === Reports ===
]
