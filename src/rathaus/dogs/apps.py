from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DogsConfig(AppConfig):
    name = "rathaus.dogs"
    verbose_name = _("Dog register")

    def ready(self):
        from . import (
            bylaw_values,  # noqa: F401  (registers the dog tax bylaw's values for imports)
            costs,  # noqa: F401  (registers the dog tax's costs provider)
            dog_registration,  # noqa: F401  (registers the decision handler)
            personal_data,  # noqa: F401  (its part of a citizen's copy of their data)
        )
