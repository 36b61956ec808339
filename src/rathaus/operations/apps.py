from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "rathaus.operations"
    verbose_name = "Operations"
