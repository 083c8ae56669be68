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
]

urlpatterns += [
    # === Reports ===
]
