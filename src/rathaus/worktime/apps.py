from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "rathaus.worktime"
    verbose_name = _("Working time")

    def ready(self):
        from rathaus.records.housekeeping import keep_blobs_named_by

        from .housekeeping import sheet_blob_names

        # The monthly sheets live in the eAkte's store; its sweep must leave them alone.
        keep_blobs_named_by(sheet_blob_names)
