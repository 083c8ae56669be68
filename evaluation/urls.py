from django.urls import path  # noqa: F401

from evaluation import views  # noqa: F401

app_name = "evaluation"

urlpatterns = [
    # === Frameworks ===
]

urlpatterns += [
    # === Rounds ===
]

urlpatterns += [
    # === Results and findings ===
]

urlpatterns += [
    # === Typical cases and replications ===
]

urlpatterns += [
    # === Tolerance register ===
]
