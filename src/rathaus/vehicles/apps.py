from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "rathaus.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self):
        from . import (
            application_checks,  # noqa: F401  (registers the form's checks)
            vehicle_register,  # noqa: F401  (registers the register's adapters)
        )
