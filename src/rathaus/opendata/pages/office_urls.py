from django.urls import path

from . import office_views as views

app_name = "opendata_office"

urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("neu/", views.dataset_create, name="create"),
    path("<slug:name>/", views.dataset_detail, name="dataset"),
    path("<slug:name>/bearbeiten/", views.dataset_edit, name="edit"),
    path("<slug:name>/hochladen/", views.upload, name="upload_file"),
    path("<slug:name>/uploads/<uuid:upload_id>/", views.upload_detail, name="upload"),
    path("<slug:name>/uploads/<uuid:upload_id>/verwerfen/", views.upload_discard,
         name="upload_discard"),
    path("<slug:name>/veroeffentlichen/", views.publication, {"action": "publish"},
         name="publish"),
    path("<slug:name>/zurueckziehen/", views.publication, {"action": "unpublish"},
         name="unpublish"),
]
