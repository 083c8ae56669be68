from django.urls import path

from contests import views

app_name = "contests"

urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("contests/<int:pk>/", views.contest_detail, name="detail"),
    path("contests/<int:pk>/eligibility-rules/", views.eligibility_rules, name="eligibility-rules"),
]
