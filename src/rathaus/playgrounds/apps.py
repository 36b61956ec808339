from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaygroundsConfig(AppConfig):
    name = "rathaus.playgrounds"
    verbose_name = _("Playground cadastre")

    def ready(self):
        from .kinds import register

        # The kinds "playground" and "play_equipment" of the cadastre "playgrounds".
        register()
