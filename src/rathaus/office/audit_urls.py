"""The audit log, under /verwaltung/protokoll/ in the office namespace."""

from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_log, name="audit_log"),
]
