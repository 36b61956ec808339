"""The Aussonderung, under /verwaltung/aussonderung/ in the office namespace."""

from django.urls import path

from . import archive_views

urlpatterns = [
    path("", archive_views.retention_list, name="archive"),
    path("anbieten/", archive_views.start, name="archive_start"),
    path("loeschprotokolle/", archive_views.deletions, name="archive_deletions"),
    path("akten/<int:case_file_id>/sperre/", archive_views.legal_hold, name="legal_hold"),
    path("<uuid:process_id>/", archive_views.process_view, name="archive_process"),
    path("<uuid:process_id>/anbietung.xml", archive_views.offer_download,
         name="archive_offer_download"),
    path("<uuid:process_id>/paket.zip", archive_views.package_download,
         name="archive_package"),
    path("<uuid:process_id>/nachricht/", archive_views.upload, name="archive_upload"),
    path("<uuid:process_id>/uebergabe/", archive_views.handover, name="archive_handover"),
    path("<uuid:process_id>/vernichten/", archive_views.destroy, name="archive_destroy"),
]
