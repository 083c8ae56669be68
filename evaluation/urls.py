from django.urls import path  # noqa: F401

from evaluation import views  # noqa: F401

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.hub, name="hub"),
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
    path("evaluation/subjects/<int:pk>/figures/", views.subject_figures, name="subject-figures"),
]

urlpatterns += [
    # === Results and findings ===
    path("evaluation/results/<int:pk>/", views.result, name="result"),
    path("evaluation/consensus/", views.consensus, name="consensus"),
    path("evaluation/published/", views.published, name="published"),
    path("evaluation/rounds/<int:pk>/report/", views.report, name="report"),
    path("evaluation/rounds/<int:pk>/report/download/", views.report_download, name="report-download"),
    path("evaluation/findings/", views.findings, name="findings"),
    path("evaluation/findings/<int:pk>/", views.finding, name="finding"),
    path("evaluation/rectification/", views.rectification, name="rectification"),
]

urlpatterns += [
    # === Typical cases and replications ===
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/replicate/", views.case_replicate, name="case-replicate"),
    path("cases/<int:pk>/supplement/", views.case_supplement, name="case-supplement"),
    path("cases/queue/", views.case_queue, name="case-queue"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
    path("cases/rule/", views.nomination_rule, name="nomination-rule"),
    path("replications/queue/", views.replication_queue, name="replication-queue"),
    path("replications/<int:pk>/evidence/", views.replication_evidence, name="replication-evidence"),
]

urlpatterns += [
    # === Tolerance register ===
    path("tolerance/", views.tolerance_list, name="tolerance-list"),
    path("tolerance/mine/", views.tolerance_list, name="tolerance-mine"),
    path("tolerance/<int:pk>/", views.tolerance_detail, name="tolerance-detail"),
]
