from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "rathaus.forms"
    label = "application_forms"
    verbose_name = _("Application forms")

    def ready(self):
        # The catalog checks each definition's field types against the ones registered
        # here, then loads them; a broken definition stops the start with its file and
        # field, a field type registered twice with its name.
        from rathaus.catalog import definitions, registry

        from .field_types import FIELD_TYPES

        definitions.use_field_types(FIELD_TYPES.names)
        registry.load()
