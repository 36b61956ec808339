from django.urls import path

from . import field_views, sync

app_name = "field"

urlpatterns = [
    path("", field_views.route, name="route"),
    path("<int:asset_id>/", field_views.inspect, name="inspect"),
    path("konflikte/", field_views.conflicts, name="conflicts"),
    path("senden/", sync.sync, name="sync"),
    path("manifest.webmanifest", field_views.manifest, name="manifest"),
    path("sw.js", field_views.service_worker, name="service_worker"),
    path("icon-192.png", field_views.icon_small, name="icon_small"),
    path("icon-512.png", field_views.icon_large, name="icon_large"),
]
