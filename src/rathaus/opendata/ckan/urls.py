from django.urls import path

from . import api as ckan

# No app namespace: the paths are CKAN's, and clients build them themselves.
urlpatterns = [
    path("3/action/<str:name>", ckan.action, name="ckan_action"),
    path("action/<str:name>", ckan.action, name="ckan_action_unversioned"),
]
