from django.urls import path  # noqa: F401

from steering import views  # noqa: F401

app_name = "steering"

urlpatterns = []

urlpatterns += [
    # === Targets ===
]

urlpatterns += [
    # === Programme tasks ===
    path("programme/mine/", views.programme_mine, name="programme-mine"),
    path("programme/reports/<int:pk>/", views.programme_report, name="programme-report"),
    path("programme/attachments/<int:pk>/", views.programme_attachment, name="programme-attachment"),
    path("programme/tasks/", views.programme_tasks, name="programme-tasks"),
    path("programme/tasks/<int:code>/", views.programme_task, name="programme-task"),
    path("programme/cycles/", views.programme_cycles, name="programme-cycles"),
    path("programme/cycles/<int:pk>/", views.programme_cycle, name="programme-cycle"),
    path("programme/review/", views.programme_review, name="programme-review"),
    path("programme/notices/", views.programme_notices, name="programme-notices"),
    path("programme/notices/<int:pk>/", views.programme_notice, name="programme-notice"),
    path("programme/units/", views.programme_units, name="programme-units"),
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
