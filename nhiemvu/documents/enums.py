from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentType(models.TextChoices):
    DECISION = "decision", _("Decision (Quyết định)")
    DIRECTIVE = "directive", _("Directive (Chỉ thị)")
    PLAN = "plan", _("Plan (Kế hoạch)")
    PROGRAM = "program", _("Work programme (Chương trình công tác)")
    NOTICE = "notice", _("Notice (Thông báo)")
    CONCLUSION = "conclusion", _("Conclusion notice (Thông báo kết luận)")
    OFFICIAL_LETTER = "official_letter", _("Official letter (Công văn)")
    TELEGRAM = "telegram", _("Official dispatch (Công điện)")
    MEETING = "meeting", _("Meeting minutes (Biên bản)")
    OTHER = "other", pgettext_lazy("document type", "Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (khẩn)")
    VERY_URGENT = "very_urgent", _("Very urgent (thượng khẩn)")
    FLASH = "flash", _("Flash (hỏa tốc)")


URGENT_LEVELS = frozenset({Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH})


class Classification(models.TextChoices):
    """Security classification. Only NONE is ever stored (R5.2d); the rest are refused."""

    NONE = "none", _("Not classified")
    CONFIDENTIAL = "confidential", _("Confidential (Mật)")
    SECRET = "secret", _("Secret (Tối mật)")
    TOP_SECRET = "top_secret", _("Top secret (Tuyệt mật)")


class DocumentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    DMS = "dms", _("Document management system")
    UPLOAD = "upload", _("Uploaded file")
    MEETING = "meeting", _("Meeting")
