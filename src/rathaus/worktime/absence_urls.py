"""/verwaltung/arbeitszeit/abwesenheiten/: the employee's leave account and absences."""

from django.urls import path

from . import absence_views

urlpatterns = [
    path("", absence_views.absences, name="absences"),
    path("beantragen/", absence_views.absence_request, name="absence_request"),
    path("<int:absence_id>/zurueckziehen/", absence_views.absence_withdraw,
         name="absence_withdraw"),
]
