"""The employee's own pages, and the clock page's offline app (manifest, worker, icons,
the queue's sync endpoint)."""

from django.urls import path

from . import clock_sync, employee_views

urlpatterns = [
    path("", employee_views.home, name="home"),
    path("stempeln/", employee_views.clock, name="clock"),
    path("senden/", clock_sync.clock_sync, name="clock_sync"),
    path("monat/", employee_views.month_now, name="month_now"),
    path("monat/<int:year>-<int:month>/", employee_views.month, name="month"),
    path("eintrag/neu/", employee_views.entry_new, name="entry_new"),
    path("eintrag/<int:entry_id>/", employee_views.entry_change, name="entry_change"),
    path("eintrag/<int:entry_id>/entfernen/", employee_views.entry_remove, name="entry_remove"),
    path("zugriffe/", employee_views.access_log, name="access_log"),
    path("manifest.webmanifest", employee_views.manifest, name="manifest"),
    path("sw.js", employee_views.service_worker, name="service_worker"),
    path("icon-192.png", employee_views.icon_small, name="icon_small"),
    path("icon-512.png", employee_views.icon_large, name="icon_large"),
]
