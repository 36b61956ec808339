"""The Friedhofsverwaltung's booking of a burial applied for online, mounted at
`verwaltung/friedhof/buchung/` (before the office's own `verwaltung/`)."""

from django.urls import path

from . import booking_views

app_name = "cemetery_booking"

urlpatterns = [
    path("<uuid:case_id>/", booking_views.booking_view, name="booking"),
]
