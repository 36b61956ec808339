from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "rathaus.catalog"
    verbose_name = _("Service catalogue")

    # The definitions are loaded (and a broken one stops the start with its file and
    # field) by FormsConfig.ready(): checking them needs the field types, which are
    # code in rathaus.forms, a layer above this app.
