"""The search over the eAkte, under /verwaltung/akten/suche/ in the office namespace."""

from django.urls import path

from . import search_views

urlpatterns = [
    path("", search_views.search_files, name="search_files"),
]
