from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "rathaus.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # The built-in automatic datasets register themselves on import.
        from rathaus.cases import open_data  # noqa: F401
