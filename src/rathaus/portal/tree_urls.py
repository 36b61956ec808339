"""The public tree cadastre: /baeume/ (map and list) and /baeume/<number>/."""

from django.urls import path

from . import tree_views

app_name = "trees"

urlpatterns = [
    path("", tree_views.tree_list, name="list"),
    path("<str:number>/", tree_views.tree_detail, name="detail"),
]
