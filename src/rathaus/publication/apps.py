from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "rathaus.publication"
    verbose_name = _("Open data")

    def ready(self):
        # Each app's `open_data` module registers its producers on import.
        autodiscover_modules("open_data")
