from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What a special day does to the calendar, whatever its weekday."""

    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")
