from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "rathaus.intake"
    verbose_name = _("Incoming mail")

    def ready(self):
        from rathaus.records.housekeeping import keep_blobs_named_by

        from .selectors import stored_blob_names

        # Items waiting to be filed point to blobs no document version names yet.
        keep_blobs_named_by(stored_blob_names)
