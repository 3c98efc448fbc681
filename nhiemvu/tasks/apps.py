from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nhiemvu.tasks"
    label = "tasks"

    def ready(self) -> None:
        from nhiemvu.workcalendar.models import recount_on_change

        from .workflow import refresh_due_soon

        recount_on_change(refresh_due_soon)
