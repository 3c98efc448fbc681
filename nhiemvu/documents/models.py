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
            ),
            # The document system's id makes its repeated sends idempotent (issue #4).
            models.UniqueConstraint(
                fields=["tenant", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="document_unique_external_id",
            ),
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


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    REVIEWED = "reviewed", _("Reviewed")


class IntakeProposal(TenantModel):
    """The tasks proposed from a document's text, kept until the Office reviews them (issue #4).

    A proposal from the document system belongs to the Document the endpoint created; one from
    an upload has no Document yet: the Office confirms the header read from the text, and the
    document is created when the review is saved. Classified documents are refused before a
    proposal is stored (R5.2d). `tasks` holds `ProposedTask.as_dict()` rows; `header` the fields
    read from the text or the edXML envelope (dates as ISO strings).
    """

    document = models.OneToOneField(
        Document,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposal",
        verbose_name=_("document"),
    )
    source = models.CharField(_("source"), max_length=20, choices=DocumentSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="intake/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    header = models.JSONField(_("header fields"), default=dict, blank=True)
    tasks = models.JSONField(_("proposed tasks"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task proposal")
        verbose_name_plural = _("task proposals")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["tenant", "status", "created_at"])]

    def __str__(self) -> str:
        return self.document.number if self.document else self.filename or str(self.pk)
