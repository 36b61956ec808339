"""Schaden melden (/schaden-melden/): the form and the reporter's status page."""

from django.urls import path

from . import damage_views

app_name = "damage"

urlpatterns = [
    path("", damage_views.report, name="report"),
    path("status/<str:token>/", damage_views.status, name="status"),
]
