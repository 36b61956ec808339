from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rathaus.cases"
    verbose_name = _("Cases")

    def ready(self):
        from rathaus.catalog.exchange import use_decidable_services

        from . import decision_workflows  # noqa: F401  (registers the two tables)
        from .decisions import decided_services

        use_decidable_services(decided_services)
