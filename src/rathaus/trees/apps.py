from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreesConfig(AppConfig):
    name = "rathaus.trees"
    verbose_name = _("Tree cadastre")
