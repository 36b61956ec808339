"""The public council information: /ratsinfo/."""

from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import public_views as views

app_name = "council_public"

urlpatterns = [
    path("", views.home, name="home"),
    path("sitzungen/", views.calendar, name="calendar"),
    path("sitzungen/kommende/", views.upcoming, name="upcoming"),
    path("sitzungen.ics", views.feed, name="feed"),
    path("sitzungen/<uuid:meeting_uuid>/", views.meeting, name="meeting"),
    path("vorlagen/<uuid:paper_uuid>/", views.paper, name="paper"),
    path("dateien/<uuid:file_uuid>/", views.download, name="file"),
    path("gremien/", views.bodies, name="bodies"),
    path("gremien/<int:organization_id>/", views.body, name="body"),
    path("gremien/<int:organization_id>/sitzungen.ics", views.body_feed, name="body_feed"),
    path("personen/", views.persons, name="persons"),
    path("personen/<int:person_id>/", views.person, name="person"),
    path("suche/", rate_limited("lookup", methods=ALL_METHODS)(views.search), name="search"),
]
