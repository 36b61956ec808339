from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "rathaus.catalog"
    verbose_name = _("Service catalogue")

    def ready(self):
        # Fails the start with the file and field of a broken definition.
        from . import registry

        registry.load()
