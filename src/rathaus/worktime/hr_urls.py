"""/verwaltung/arbeitszeit/personal/: HR's closings, the payroll export and the settings."""

from django.urls import path

from . import hr_views

urlpatterns = [
    path("", hr_views.closings, name="hr_closings"),
    path("<int:year>-<int:month>/lohn.csv", hr_views.payroll_csv, name="hr_payroll"),
    path("einstellungen/", hr_views.settings, name="settings"),
    path("einstellungen/modelle/", hr_views.settings_models, name="settings_models"),
    path("einstellungen/modelle/neu/", hr_views.settings_model, name="settings_model_add"),
    path("einstellungen/modelle/<int:model_id>/", hr_views.settings_model,
         name="settings_model"),
    path("einstellungen/freie-tage/", hr_views.settings_holidays, name="settings_holidays"),
    path("einstellungen/freie-tage/<int:holiday_id>/entfernen/",
         hr_views.settings_holiday_remove, name="settings_holiday_remove"),
    path("einstellungen/teams/", hr_views.settings_teams, name="settings_teams"),
    path("einstellungen/teams/neu/", hr_views.settings_team, name="settings_team_add"),
    path("einstellungen/teams/<int:team_id>/", hr_views.settings_team, name="settings_team"),
    path("einstellungen/beschaeftigte/", hr_views.settings_employees,
         name="settings_employees"),
    path("einstellungen/beschaeftigte/neu/", hr_views.settings_employee_add,
         name="settings_employee_add"),
    path("einstellungen/beschaeftigte/<int:employee_id>/", hr_views.settings_employee,
         name="settings_employee"),
]
