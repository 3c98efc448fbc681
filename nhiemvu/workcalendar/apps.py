from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "nhiemvu.workcalendar"
    label = "workcalendar"
