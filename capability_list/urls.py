from django.urls import path

from capability_list import views

app_name = "capability_list"

urlpatterns = [
    path("capabilities/", views.entry_list, name="list"),
    path("capabilities/new/", views.edit, name="create"),
    path("capabilities/mine/", views.mine, name="mine"),
    path("capabilities/review/", views.review_queue, name="review-queue"),
    path("capabilities/editions/", views.editions, name="editions"),
    path("capabilities/editions/publish/", views.edition_publish, name="edition-publish"),
    path("capabilities/editions/<int:pk>/download/", views.edition_download, name="edition-download"),
    path("capabilities/<int:pk>/", views.detail, name="detail"),
    path("capabilities/<int:pk>/edit/", views.edit, name="edit"),
    path("capabilities/<int:pk>/action/", views.action, name="action"),
]
