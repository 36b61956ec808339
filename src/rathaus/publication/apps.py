from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "rathaus.publication"
    verbose_name = _("Open data")
