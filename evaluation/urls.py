from django.urls import path  # noqa: F401

from evaluation import views  # noqa: F401

app_name = "evaluation"

urlpatterns = [
    # === Frameworks ===
]

urlpatterns += [
    # === Rounds ===
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("mine/", views.my_evaluations, name="my-evaluations"),
    path("mine/rounds/<int:pk>/", views.round_commitment, name="round-commitment"),
    path("mine/subjects/<int:pk>/", views.subject_material, name="subject-material"),
    path("mine/subjects/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("mine/sheets/<int:pk>/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("self-assessment/", views.self_assessment_list, name="self-assessment-list"),
    path("self-assessment/<int:pk>/", views.self_assessment, name="self-assessment"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
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
