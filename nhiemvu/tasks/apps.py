from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nhiemvu.tasks"
    label = "tasks"
