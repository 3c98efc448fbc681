"""Directive documents that give tasks, and the Office's own intake deadline (R6.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhiemvu.core import clock
from nhiemvu.core.models import TenantModel

from .enums import DocumentSource, DocumentType, Urgency


class Document(TenantModel):
    """A directive document (R3.2). Classified documents never reach this table (R5.2d).

    `intake_due_on` is the Office's deadline to transfer the tasks into tracking (R6.1):
    the issuing day for urgent documents, +1 working day for ordinary ones, +2 for documents
    with many tasks or units. `transferred_at` is set when the first tasks are assigned.
    """

    number = models.CharField(_("number and symbol"), max_length=80)
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    issued_on = models.DateField(_("issuing date"))
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    subject = models.TextField(_("subject"))
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    source = models.CharField(
        _("source"), max_length=20, choices=DocumentSource.choices, default=DocumentSource.MANUAL
    )
    external_id = models.CharField(_("ID in the source system"), max_length=200, blank=True)
    is_complex = models.BooleanField(
        _("many tasks or units"),
        default=False,
        help_text=_("Gives the Office 2 working days to enter the tasks (R6.1c)."),
    )
    intake_due_on = models.DateField(_("intake deadline"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred to tracking at"), null=True, blank=True)
    transferred_on_time = models.BooleanField(_("transferred on time"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number", "issued_on"], name="document_unique_number_date"
            )
        ]
        indexes = [models.Index(fields=["tenant", "transferred_at", "intake_due_on"])]

    def __str__(self) -> str:
        return self.number


class DocumentFile(models.Model):
    """A file attached to a document."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("document")
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.name
