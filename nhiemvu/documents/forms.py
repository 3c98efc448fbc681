"""The Office's document-and-tasks entry form: the header, then one row per task."""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from nhiemvu.tasks.enums import ReportingCycle
from nhiemvu.tasks.forms import DATE, MultipleFileField

from .enums import Classification, DocumentType, Urgency


class DocumentForm(forms.Form):
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "123/KH-UBND"}),
    )
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    issued_on = forms.DateField(label=_("Issuing date"), widget=DATE)
    signer = forms.CharField(label=_("Signer"), required=False, max_length=150)
    subject = forms.CharField(label=_("Subject"), widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    attachments = MultipleFileField(label=_("Document files"))
    transfer = forms.BooleanField(
        label=_("Transfer the tasks to the units now"), required=False, initial=True
    )


class TaskRowForm(forms.Form):
    content = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.CharField(
        label=_("Lead unit(s)"),
        help_text=_("Several units separated by ';' make one task for each."),
        widget=forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}),
    )
    coordinating = forms.CharField(
        label=_("Coordinating units"),
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    reporting_cycle = forms.ChoiceField(
        label=_("Or reporting cycle"),
        required=False,
        choices=[("", "—"), *ReportingCycle.choices],
    )
    expected_output = forms.CharField(label=_("Expected output"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("content") and not data.get("deadline") and not data.get("reporting_cycle"):
            self.add_error("deadline", _("Give a deadline or a reporting cycle."))
        return data


TaskRowFormSet = forms.formset_factory(TaskRowForm, extra=1, min_num=1, validate_min=True)


class UploadForm(forms.Form):
    """A directive to read: its header and tasks are proposed from the text."""

    file = forms.FileField(
        label=_("Document file"),
        help_text=_("A .docx, a .pdf with a text layer, or a .txt file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )


class ReviewHeaderForm(DocumentForm):
    """The header read from an uploaded text, for the Office to check (no files: the uploaded
    one is attached)."""

    attachments = None  # type: ignore[assignment]
    transfer = None  # type: ignore[assignment]


class TransferForm(forms.Form):
    transfer = forms.BooleanField(
        label=_("Transfer the tasks to the units now"), required=False, initial=True
    )


class ReviewRowForm(TaskRowForm):
    """One proposed task: accepted rows are validated and saved, the others are dropped."""

    accept = forms.BooleanField(label=_("Accept"), required=False)
    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def accepted(self) -> bool:
        field = self.fields["accept"]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("accept"))
        return bool(field.to_python(raw))

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.accepted():
            # A rejected row may be incomplete: it is not checked, only its index is kept.
            self._errors = ErrorDict()
            self.cleaned_data = {"accept": False, "index": self.data.get(self.add_prefix("index"))}


ReviewRowFormSet = forms.formset_factory(ReviewRowForm, extra=0)
