"""/verwaltung/arbeitszeit/team/: the team lead's pages."""

from django.urls import path

from . import team_views

MEMBER = "<int:team_id>/mitarbeiter/<int:employee_id>/"
MONTH = "<int:year>-<int:month>/"

urlpatterns = [
    path("", team_views.teams, name="teams"),
    path("<int:team_id>/", team_views.team, name="team"),
    path("<int:team_id>/kalender/" + MONTH, team_views.team_calendar, name="team_calendar"),
    path("<int:team_id>/abwesenheiten/<int:absence_id>/entscheiden/",
         team_views.decide_absence, name="team_absence_decide"),
    path("<int:team_id>/korrekturen/<int:correction_id>/entscheiden/",
         team_views.decide_correction, name="team_correction_decide"),
    path(MEMBER + MONTH, team_views.team_member, name="team_member"),
    path(MEMBER + MONTH + "abschliessen/", team_views.close_month, name="team_month_close"),
    path(MEMBER + MONTH + "klaerung/", team_views.dispute_month, name="team_month_dispute"),
    path(MEMBER + "krank/", team_views.record_sickness, name="team_member_sickness"),
]
