from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldappConfig(AppConfig):
    name = "rathaus.fieldapp"
    verbose_name = _("Cadastre pages for staff and the field app")
