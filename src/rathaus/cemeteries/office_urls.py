"""The Friedhofsverwaltung's pages, at /verwaltung/friedhof/ (office_views)."""

from django.urls import path

from . import office_views as views

app_name = "cemetery_office"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("nutzungsrechte/", views.rights_ending, name="rights_ending"),
    path("nutzungsrechte/schreiben/", views.write_letters, name="write_letters"),
    path("ruhezeiten/", views.rest_ending, name="rest_ending"),
    path("abraeumen/", views.to_clear, name="to_clear"),
    path("feld/<int:field_id>/", views.field_plan, name="field"),
    path("grab/<int:grave_id>/", views.grave, name="grave"),
    path("grab/<int:grave_id>/abgeraeumt/", views.mark_cleared, name="mark_cleared"),
    path("grab/<int:grave_id>/verlaengern/", views.extend, name="extend"),
    path("grab/<int:grave_id>/grabsuche/", views.consent, name="consent"),
    path("grab/<int:grave_id>/nutzungsrecht/", views.grant, name="grant"),
    path("friedhof/<int:cemetery_id>/satzung/", views.bylaw, name="bylaw"),
    path("friedhof/<int:cemetery_id>/satzung/<slug:kind>/", views.grave_type,
         name="grave_type"),
]
