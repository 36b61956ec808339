from django.urls import path

from . import views

app_name = "confirmations"

urlpatterns = [
    path("beantwortet/", views.answered, name="answered"),
    path("<slug:service_id>/ausstellen/", views.issue_page, name="issue"),
    path("<str:token>/", views.request_page, name="request"),
]
