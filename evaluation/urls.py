from django.urls import path  # noqa: F401

from evaluation import views  # noqa: F401

app_name = "evaluation"

urlpatterns = [
    # === Frameworks ===
]

urlpatterns += [
    # === Rounds ===
    path("evaluation/rounds/", views.round_list, name="round-list"),
    path("evaluation/rounds/new/", views.round_create, name="round-create"),
    path("evaluation/rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("evaluation/mine/", views.my_evaluations, name="my-evaluations"),
    path("evaluation/mine/rounds/<int:pk>/", views.round_commitment, name="round-commitment"),
    path("evaluation/mine/subjects/<int:pk>/", views.subject_material, name="subject-material"),
    path("evaluation/mine/subjects/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("evaluation/mine/sheets/<int:pk>/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("evaluation/self-assessment/", views.self_assessment_list, name="self-assessment-list"),
    path("evaluation/self-assessment/<int:pk>/", views.self_assessment, name="self-assessment"),
    path("evaluation/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
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
