from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinderConfig(AppConfig):
    name = "rathaus.finder"
    verbose_name = _("Service finder")

    def ready(self):
        from . import signals  # noqa: F401  (connects the index to the catalogue)
