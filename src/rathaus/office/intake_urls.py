from django.urls import path

from . import intake_views

urlpatterns = [
    path("", intake_views.intake, name="intake"),
    path("<uuid:incoming_id>/", intake_views.intake_item, name="intake_item"),
    path("<uuid:incoming_id>/ablegen/", intake_views.intake_file, name="intake_file"),
    path("<uuid:incoming_id>/verwerfen/", intake_views.intake_discard, name="intake_discard"),
    path("<uuid:incoming_id>/erneut-lesen/", intake_views.intake_retry, name="intake_retry"),
    path("<uuid:incoming_id>/original/", intake_views.intake_original,
         name="intake_original"),
    path("<uuid:incoming_id>/pdf/", intake_views.intake_pdf, name="intake_pdf"),
]
