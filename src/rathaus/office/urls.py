from django.urls import path

from . import views

app_name = "office"

urlpatterns = [
    path("", views.basket, name="basket"),
    path("anmelden/", views.login_view, name="login"),
    path("abmelden/", views.logout_view, name="logout"),
    path("abteilung/", views.switch_department, name="switch_department"),
]
