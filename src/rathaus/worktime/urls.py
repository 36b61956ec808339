"""/verwaltung/arbeitszeit/: one namespace, each group of pages in its own module."""

from django.urls import include, path

app_name = "worktime"

urlpatterns = [
    path("", include("rathaus.worktime.employee_urls")),  # clocking, month, entries
    path("abwesenheiten/", include("rathaus.worktime.absence_urls")),
    path("team/", include("rathaus.worktime.team_urls")),  # the team lead's pages
    path("personal/", include("rathaus.worktime.hr_urls")),  # closings, payroll, settings
    path("monatsblatt/", include("rathaus.worktime.sheet_urls")),  # the employee's sheets
]
