"""The cadastres' pages for staff, at /verwaltung/kataster/ (office_views)."""

from django.urls import path

from . import office_views as views

app_name = "cadastre"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("objekt/<int:asset_id>/", views.asset, name="asset"),
    path("objekt/<int:asset_id>/aendern/", views.change_asset, name="change_asset"),
    path("objekt/<int:asset_id>/auftrag/", views.create_work_order, name="create_work_order"),
    path("auftraege/", views.work_orders, name="work_orders"),
    path("auftraege/<int:order_id>/", views.work_order, name="work_order"),
    path("auftraege/<int:order_id>/erledigt/", views.finish_work_order,
         name="finish_work_order"),
    path("foto/<int:photo_id>/", views.photo, name="photo"),
    path("<slug:cadastre>/", views.assets, name="assets"),
    path("<slug:cadastre>/faellig/", views.due, name="due"),
    path("<slug:cadastre>/faellig.csv", views.due_csv, name="due_csv"),
    path("<slug:cadastre>/sonderkontrollen/", views.plan_extra, name="plan_extra"),
]
