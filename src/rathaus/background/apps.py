from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "rathaus.background"
    verbose_name = "Background work"
