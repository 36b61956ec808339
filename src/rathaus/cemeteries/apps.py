from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CemeteriesConfig(AppConfig):
    name = "rathaus.cemeteries"
    verbose_name = _("Cemetery cadastre")

    def ready(self):
        from . import personal_data  # noqa: F401  (its part of a citizen's copy of their data)
        from .kinds import register

        # The kinds "cemetery", "cemetery_field" and "grave" of the cadastre "cemeteries".
        register()
