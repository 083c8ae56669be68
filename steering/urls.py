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
