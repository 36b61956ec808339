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

        from . import burial_service  # noqa: F401  (the decision handler of "bestattung")
        from .workflow import register_workflow as register_burial_workflow

        register_burial_workflow()  # "burial_booking"
