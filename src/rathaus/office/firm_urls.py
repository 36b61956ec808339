"""The firms admitted to apply with a firm access, under /verwaltung/firmen/."""

from django.urls import path

from . import firm_views

app_name = "office_firms"

urlpatterns = [
    path("", firm_views.firm_list, name="list"),
    path("zulassen/", firm_views.admit, name="admit"),
    path("<int:firm_id>/personen/", firm_views.add_person, name="add_person"),
    path("<int:firm_id>/beenden/", firm_views.end_firm, name="end_firm"),
    path("<int:firm_id>/personen/<int:member_id>/beenden/", firm_views.end_person,
         name="end_person"),
]
