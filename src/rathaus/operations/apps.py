from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "rathaus.operations"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import task_requests
        from .request_ids import forget_request_id

        task_requests.connect()
        request_started.connect(forget_request_id, dispatch_uid="rathaus.request_id.start")
        request_finished.connect(forget_request_id, dispatch_uid="rathaus.request_id.end")
