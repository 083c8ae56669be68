from django.urls import path

from capability_list import views

app_name = "capability_list"

urlpatterns = [
    path("capabilities/", views.entry_list, name="list"),
    path("capabilities/new/", views.edit, name="create"),
    path("capabilities/mine/", views.mine, name="mine"),
    path("capabilities/review/", views.review_queue, name="review-queue"),
    path("capabilities/import/", views.import_upload, name="import"),
    path("capabilities/import/template/", views.import_template, name="import-template"),
    path("capabilities/import/<int:pk>/", views.import_detail, name="import-detail"),
    path("capabilities/import/<int:pk>/rejects/", views.import_rejects, name="import-rejects"),
    path("capabilities/editions/", views.editions, name="editions"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("enquiries/", views.enquiry_list, name="enquiries"),
    path("enquiries/new/", views.enquiry_create, name="enquiry-create"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry-detail"),
    path("capabilities/editions/publish/", views.edition_publish, name="edition-publish"),
    path("capabilities/editions/<int:pk>/download/", views.edition_download, name="edition-download"),
    path("capabilities/<int:pk>/", views.detail, name="detail"),
    path("capabilities/<int:pk>/edit/", views.edit, name="edit"),
    path("capabilities/<int:pk>/action/", views.action, name="action"),
    path("capabilities/<int:pk>/change/", views.change_edit, name="change-edit"),
    path("capabilities/<int:pk>/change/action/", views.change_action, name="change-action"),
    path("capabilities/changes/<int:pk>/review/", views.change_review, name="change-review"),
    path("capabilities/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("capabilities/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("capabilities/evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path("capabilities/<int:pk>/review/", views.review, name="review"),
]
