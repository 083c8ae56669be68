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
    path("evaluation/results/<int:pk>/", views.result, name="result"),
    path("evaluation/consensus/", views.consensus, name="consensus"),
    path("evaluation/rounds/<int:pk>/report/", views.report, name="report"),
    path("evaluation/rounds/<int:pk>/report/download/", views.report_download, name="report-download"),
    path("evaluation/findings/", views.findings, name="findings"),
    path("evaluation/findings/<int:pk>/", views.finding, name="finding"),
    path("evaluation/rectification/", views.rectification, name="rectification"),
]

urlpatterns += [
    # === Typical cases and replications ===
]

urlpatterns += [
    # === Tolerance register ===
]
