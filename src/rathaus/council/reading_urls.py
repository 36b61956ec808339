"""The councillors' reading room, /ratsinfo/mandat/ (reading_views.py), and its offline
app (reading_offline.py)."""

from django.urls import path

from . import reading_offline, reading_views

app_name = "council_reading"

urlpatterns = [
    path("", reading_views.home, name="home"),
    path("sitzungen/<uuid:meeting>/", reading_views.meeting, name="meeting"),
    path("sitzungen/<uuid:meeting>/offline.json", reading_views.offline_list,
         name="offline_list"),
    path("vorlagen/<uuid:paper>/", reading_views.paper, name="paper"),
    path("dateien/<uuid:file>/", reading_views.file, name="file"),
    path("manifest.webmanifest", reading_offline.manifest, name="manifest"),
    path("sw.js", reading_offline.service_worker, name="service_worker"),
    path("icon-192.png", reading_offline.icon_small, name="icon_small"),
    path("icon-512.png", reading_offline.icon_large, name="icon_large"),
]
