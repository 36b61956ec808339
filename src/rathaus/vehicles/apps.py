from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "rathaus.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self):
        from . import (
            registration,  # noqa: F401  (the decision handler)
            vehicle_register,  # noqa: F401  (registers the register's adapters)
        )
        from .workflow import register_workflow

        register_workflow()
