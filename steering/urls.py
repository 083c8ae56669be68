from django.urls import path  # noqa: F401

from steering import views  # noqa: F401

app_name = "steering"

urlpatterns = []

urlpatterns += [
    # === Targets ===
    path("steering/targets/", views.target_list, name="target-list"),
    path("steering/targets/new/", views.target_create, name="target-create"),
    path("steering/targets/edit/<int:pk>/", views.target_edit, name="target-edit"),
    path("steering/targets/edit/<int:pk>/archive/", views.target_archive, name="target-archive"),
    path("steering/targets/<slug:metric>/", views.target_detail, name="target-detail"),
    path("steering/high-growth/", views.high_growth_imports, name="high-growth-imports"),
    path("steering/high-growth/template.xlsx", views.high_growth_template, name="high-growth-template"),
    path("steering/high-growth/<int:pk>/", views.high_growth_import, name="high-growth-import"),
    path("open-data/typical-cases.csv", views.typical_cases_csv, name="open-data-cases-csv"),
    path("open-data/typical-cases.json", views.typical_cases_json, name="open-data-cases-json"),
    path("open-data/targets.csv", views.targets_csv, name="open-data-targets-csv"),
    path("open-data/targets.json", views.targets_json, name="open-data-targets-json"),
]

urlpatterns += [
    # === Programme tasks ===
    path("steering/programme/mine/", views.programme_mine, name="programme-mine"),
    path("steering/programme/reports/<int:pk>/", views.programme_report, name="programme-report"),
    path("steering/programme/attachments/<int:pk>/", views.programme_attachment, name="programme-attachment"),
    path("steering/programme/tasks/", views.programme_tasks, name="programme-tasks"),
    path("steering/programme/tasks/<int:code>/", views.programme_task, name="programme-task"),
    path("steering/programme/cycles/", views.programme_cycles, name="programme-cycles"),
    path("steering/programme/cycles/<int:pk>/", views.programme_cycle, name="programme-cycle"),
    path("steering/programme/review/", views.programme_review, name="programme-review"),
    path("steering/programme/notices/", views.programme_notices, name="programme-notices"),
    path("steering/programme/notices/<int:pk>/", views.programme_notice, name="programme-notice"),
    path("steering/programme/units/", views.programme_units, name="programme-units"),
]

urlpatterns += [
    # === SOE assessment ===
    path("steering/assessment/", views.assessment_scorecard, name="assessment-scorecard"),
    path(
        "steering/assessment/<str:year>/export/", views.assessment_scorecard_export, name="assessment-scorecard-export"
    ),
    path("steering/assessment/credit/", views.assessment_credit, name="assessment-credit"),
    path(
        "steering/assessment/credit/<str:year>/export/", views.assessment_credit_export, name="assessment-credit-export"
    ),
    path("steering/assessment/scheme/", views.assessment_scheme, name="assessment-scheme"),
    path(
        "steering/assessment/<str:year>/records/<str:pk>/<slug:code>/",
        views.assessment_records,
        name="assessment-records",
    ),
    path("steering/product-uses/", views.product_use_list, name="product-use-list"),
    path("steering/product-uses/new/", views.product_use_create, name="product-use-create"),
    path("steering/product-uses/from-agreement/", views.product_use_from_agreement, name="product-use-from-agreement"),
    path("steering/product-uses/queue/", views.product_use_queue, name="product-use-queue"),
    path("steering/product-uses/<str:pk>/", views.product_use_detail, name="product-use-detail"),
    path("steering/product-uses/<str:pk>/evidence/", views.product_use_evidence, name="product-use-evidence"),
]

urlpatterns += [
    # === Cockpit ===
    path("steering/", views.cockpit, name="cockpit"),
    path("steering/drill/<slug:code>/", views.cockpit_drill, name="cockpit-drill"),
]

urlpatterns += [
    # === Reports ===
    path("steering/reports/", views.reports, name="reports"),
    path("steering/reports/<str:pk>/download/", views.report_download, name="report-download"),
]
