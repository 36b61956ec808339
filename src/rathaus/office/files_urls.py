"""The file plan and the files, under /verwaltung/akten/ in the office namespace."""

from django.urls import path

from . import files_views

urlpatterns = [
    path("", files_views.file_plan, name="file_plan"),
    path("aktenplan/neu/", files_views.plan_entry_new, name="plan_entry_new"),
    path("aktenplan/<int:plan_entry_id>/", files_views.plan_entry, name="plan_entry"),
    path("aktenplan/<int:plan_entry_id>/bearbeiten/", files_views.plan_entry_edit,
         name="plan_entry_edit"),
    path("integritaet/", files_views.integrity_runs, name="integrity_runs"),
    path("<uuid:file_id>/", files_views.case_file, name="case_file"),
    path("<uuid:file_id>/vermerke/", files_views.add_note_view, name="add_note"),
    path("<uuid:file_id>/dokumente/<uuid:document_id>/verschieben/",
         files_views.move_document_view, name="move_document"),
    path("<uuid:file_id>/versionen/<uuid:version_id>/", files_views.document_version,
         name="document_version"),
]
