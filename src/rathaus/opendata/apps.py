from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "rathaus.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # The producers of the automatic datasets register in rathaus.publication (each
        # app's open_data module); a change that alters their figures says so there.
        from rathaus.publication.signals import figures_changed

        from .publish.tasks import refresh_when_figures_change

        figures_changed.connect(refresh_when_figures_change,
                                dispatch_uid="opendata.refresh_when_figures_change")
