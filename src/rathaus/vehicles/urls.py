from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import views

app_name = "vehicles"

urlpatterns = [
    path("", rate_limited("lookup", methods=ALL_METHODS)(views.plate_check),
         name="plate_check"),
]
