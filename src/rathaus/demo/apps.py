from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rathaus.demo"
    verbose_name = "Demo data"
