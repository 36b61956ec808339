"""The citizen's answer to a request for information: a text and files."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
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
            items = [item for item in data if item]
            _check_together(items)  # before any file is read
            return [single(item, initial) for item in items]
        return [single(data, initial)] if data else []


def _check_together(items) -> None:
    """At most RATHAUS_UPLOAD_MAX_FILES files of RATHAUS_UPLOAD_MAX_TOTAL_MB together:
    the checked contents are held in memory until they are stored."""
    if len(items) > settings.RATHAUS_UPLOAD_MAX_FILES:
        raise ValidationError(_("Please choose at most %(limit)s files at once."),
                              code="too_many_files",
                              params={"limit": settings.RATHAUS_UPLOAD_MAX_FILES})
    limit = settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES
    if sum(getattr(item, "size", 0) or 0 for item in items) > limit:
        megabytes = limit / (1024 * 1024)
        raise ValidationError(
            _("The files together are larger than %(limit)s MB. Please send fewer or "
              "smaller files."), code="too_large_together",
            params={"limit": number_format(megabytes,
                                           decimal_pos=0 if megabytes.is_integer() else 1)})


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write a short answer.")},
    )
    files = DocumentsField(
        label=_("Files"), required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB each. You can choose several files."),
    )
