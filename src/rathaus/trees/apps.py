from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreesConfig(AppConfig):
    name = "rathaus.trees"
    verbose_name = _("Tree cadastre")

    def ready(self):
        from rathaus.records.housekeeping import keep_blobs_named_by

        from . import rules

        rules.register()
        # An uploaded import waits in the eAkte's store for its confirmation.
        keep_blobs_named_by(_waiting_import_blobs)


def _waiting_import_blobs():
    from .models import TreeImport

    waiting = (TreeImport.State.PREVIEWED, TreeImport.State.RUNNING)
    return (TreeImport.all_authorities.filter(state__in=waiting)
            .values_list("blob_name", flat=True).iterator())
