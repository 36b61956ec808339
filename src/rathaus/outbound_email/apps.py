from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboundEmailConfig(AppConfig):
    name = "rathaus.outbound_email"
    verbose_name = _("Outgoing e-mail")
