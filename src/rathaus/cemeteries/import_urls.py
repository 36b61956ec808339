"""The cemetery plan import pages, at /verwaltung/friedhof/import/ (import_views)."""

from django.urls import path

from . import import_views as views

app_name = "cemetery_import"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:item_id>/", views.preview, name="preview"),
    path("<int:item_id>/ausfuehren/", views.run, name="run"),
    path("<int:item_id>/ergebnis/", views.result, name="result"),
]
