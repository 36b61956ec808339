from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "rathaus.residents"
    verbose_name = _("Resident register")

    def ready(self):
        from . import (
            application_checks,  # noqa: F401  (registers the form's checks)
            fachverfahren,  # noqa: F401  (registers the register's adapters)
            personal_data,  # noqa: F401  (its part of a citizen's copy of their data)
            registration,  # noqa: F401  (the decision handler and the late note)
        )
        from .workflow import register_workflow

        register_workflow()
