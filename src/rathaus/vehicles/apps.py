from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "rathaus.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self):
        from . import (  # noqa: F401  (each registers its entries)
            application_checks,
            personal_data,
            receiving,
            registration,
            vehicle_register,
        )
        from .workflow import register_workflow

        register_workflow()
