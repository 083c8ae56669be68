from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("scenarios/<int:pk>/suppliers/", views.scenario_suppliers, name="scenario-suppliers"),
    path(
        "scenarios/<int:pk>/suppliers/<int:match_pk>/enquiry/", views.supplier_enquiry, name="scenario-supplier-enquiry"
    ),
    path("capabilities/recommendations/", views.recommendations, name="recommendations"),
    path("matches/", views.match_table, name="matches"),
    path("matches/affinities/", views.affinities, name="affinities"),
]
