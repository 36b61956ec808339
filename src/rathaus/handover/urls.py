from django.urls import path

from . import views

app_name = "handover"

urlpatterns = [
    path("<slug:slug>/jwks.json", views.key_set, name="key_set"),
    path("<slug:slug>/einreichungen/", views.submissions, name="submissions"),
]
