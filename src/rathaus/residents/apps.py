from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "rathaus.residents"
    verbose_name = _("Resident register")

    def ready(self):
        from . import fachverfahren  # noqa: F401  (registers the register's adapters)
