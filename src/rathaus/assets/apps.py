from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "rathaus.assets"
    verbose_name = _("Cadastres")

    def ready(self):
        from rathaus.records.housekeeping import keep_blobs_named_by

        # Photos live in the eAkte's store; its sweep must leave them alone.
        keep_blobs_named_by(_photo_blob_names)


def _photo_blob_names():
    from .models import Photo

    return Photo.all_authorities.values_list("blob_name", flat=True).iterator()
