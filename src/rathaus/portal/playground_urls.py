from django.urls import path

from . import playground_views as views

app_name = "playgrounds"

urlpatterns = [
    path("", views.playground_list, name="list"),
    path("<str:number>/", views.playground_detail, name="detail"),
]
