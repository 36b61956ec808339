from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "rathaus.forms"
    label = "application_forms"
    verbose_name = _("Application forms")

    def ready(self):
        # The catalog checks each definition's field types against the ones registered
        # here, then loads them; a broken definition stops the start with its file and
        # field, a field type registered twice with its name. Apps above this one bring
        # their own types in a module `field_types` (rathaus.confirmations): each is
        # imported first, as the admin finds `admin` modules, because their ready()
        # comes after this one.
        from rathaus.catalog import definitions, registry

        from .field_types import FIELD_TYPES

        autodiscover_modules("field_types")
        definitions.use_field_types(FIELD_TYPES.names)
        registry.load()
