from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("scenarios/", views.catalogue, name="catalogue"),
    path("scenarios/export/", views.catalogue_export, name="export"),
    path("scenarios/new/", views.edit, name="create"),
    path("scenarios/validate/", views.validate, name="validate"),
    path("scenarios/mine/", views.mine, name="mine"),
    path("scenarios/review/", views.review_queue, name="review-queue"),
    path("scenarios/domains/", views.domains, name="domains"),
    path("scenarios/domains/new/", views.domain_edit, name="domain-create"),
    path("scenarios/domains/<int:pk>/", views.domain_edit, name="domain-edit"),
    path("scenarios/<int:pk>/", views.detail, name="detail"),
    path("scenarios/<int:pk>/edit/", views.edit, name="edit"),
    path("scenarios/<int:pk>/transition/", views.transition, name="transition"),
    path("scenarios/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("scenarios/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment-download"),
    path(
        "scenarios/<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment-remove"
    ),
    path("scenarios/<int:pk>/instruments/", views.instrument_request, name="instrument-request"),
    path(
        "scenarios/<int:pk>/instruments/<int:request_pk>/answer/",
        views.instrument_request_answer,
        name="instrument-request-answer",
    ),
]
