from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "rathaus.confirmations"
    verbose_name = _("Third-party confirmations")

    def ready(self):
        # The field type `confirmation_code` is imported by FormsConfig.ready (a module
        # `field_types`), before the definitions that use it are checked.
        from . import submission  # noqa: F401  (registers the submission step)
