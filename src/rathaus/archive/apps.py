from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "rathaus.archive"
    verbose_name = _("Hand-over to the archive (Aussonderung)")
