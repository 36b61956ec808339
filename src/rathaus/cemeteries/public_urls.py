"""The public grave search: /grabsuche/."""

from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import public_views as views

app_name = "grave_search"

urlpatterns = [
    path("", rate_limited("lookup", methods=ALL_METHODS)(views.grave_search),
         name="search"),
]
