from django.urls import path  # noqa: F401

from evaluation import views  # noqa: F401

app_name = "evaluation"

urlpatterns = [
    # === Frameworks ===
    path("evaluation/frameworks/", views.framework_list, name="framework-list"),
    path("evaluation/frameworks/new/", views.framework_new, name="framework-new"),
    path("evaluation/frameworks/<int:pk>/", views.framework_detail, name="framework-detail"),
    path("evaluation/frameworks/<int:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("evaluation/frameworks/<int:pk>/new-version/", views.framework_new_version, name="framework-new-version"),
    path("evaluation/frameworks/<int:pk>/diff/", views.framework_diff, name="framework-diff"),
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
