from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectAccessConfig(AppConfig):
    name = "rathaus.subject_access"
    verbose_name = _("Copies of personal data (Art. 15 GDPR)")
