"""The citizen's answer to a request for information: a text and files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.forms.field_types import MAX_UPLOAD_BYTES
from rathaus.records.fields import DocumentUploadField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(DocumentUploadField):
    """Several files at once; each one is checked like a single upload."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(max_bytes=MAX_UPLOAD_BYTES, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write a short answer.")},
    )
    files = DocumentsField(
        label=_("Files"), required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each. You can choose several files."),
    )
