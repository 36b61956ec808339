"""/verwaltung/arbeitszeit/monatsblatt/: the employee's monthly sheets."""

from django.urls import path

from . import sheet_views

urlpatterns = [
    path("<int:closing_id>/", sheet_views.sheet, name="sheet"),
]
