from django.urls import path

from . import views

app_name = "mailbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:message_id>/", views.message, name="message"),
    path(
        "<uuid:message_id>/anhang/<uuid:attachment_id>/", views.attachment, name="attachment"
    ),
    path("<uuid:message_id>/nachweis/<slug:word>/", views.receipt, name="receipt"),
]
