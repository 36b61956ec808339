from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RateLimitsConfig(AppConfig):
    name = "rathaus.rate_limits"
    verbose_name = _("Rate limits")

    def ready(self):
        from . import system_checks  # noqa: F401
