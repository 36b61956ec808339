"""A URL for the tests only: records has no views of its own yet."""

from django.urls import path

from rathaus.records.models import DocumentVersion
from rathaus.records.responses import document_response


def show_version(request, pk):
    return document_response(DocumentVersion.objects.get(pk=pk),
                             as_attachment="inline" not in request.GET)


urlpatterns = [path("version/<int:pk>/", show_version)]
